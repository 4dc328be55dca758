namespace AutoSpec.Analyse;

/// <summary>The outcome of a within-run permutation test.</summary>
/// <param name="Statistic">Observed mean over the window's steps of metric(B) − metric(A).</param>
/// <param name="PValue">Two-sided p-value (null when no step has both groups).</param>
/// <param name="Permutations">Relabellings evaluated (all of them when <paramref name="Exact"/>).</param>
/// <param name="Exact">True when every relabelling with the same group sizes was enumerated.</param>
/// <param name="Steps">Steps in the window where both groups were present under the observed labels.</param>
public sealed record PermutationResult(double? Statistic, double? PValue, int Permutations, bool Exact, int Steps);

/// <summary>
/// Within one run, the exact test of DESIGN.md: permute the group labels over subjects (group sizes kept) and
/// recompute the group spectra of every step of a window from its cached Gram blocks. The statistic is the mean over
/// steps of metric(σ(G_B)) − metric(σ(G_A)) for a metric of <see cref="SpectrumSummary"/>; per-sample σ₁ and
/// Frobenius norm use the factor N/n_g of a mean-reduced loss. All relabellings are enumerated when there are at most
/// <c>permutations</c> of them (exact p = share with |T| ≥ |T_obs|); otherwise a seeded Monte-Carlo sample gives
/// p = (1 + count)/(1 + B).
/// </summary>
/// <remarks>Written by hand: a permutation test over cached Gram blocks is specific to this method.</remarks>
public static class GramPermutationTest
{
    /// <summary>Metrics the statistic can use.</summary>
    public static readonly IReadOnlyList<string> Metrics =
        ["sigma1", "sigma1_normalised", "frobenius", "frobenius_normalised", "nuclear", "stable_rank", "effective_rank", "spectral_decay"];

    /// <summary>Runs the test over a window of steps.</summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="inB">Observed label of every subject: true = group B, false = group A.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="permutations">Largest number of relabellings to evaluate.</param>
    /// <param name="seed">Seed of the Monte-Carlo relabellings.</param>
    public static PermutationResult Run(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric,
        int permutations = 1000, int seed = 0)
    {
        if (!Metrics.Contains(metric))
        {
            throw new InvalidInputException($"permutation metric '{metric}' is not one of {string.Join(", ", Metrics)}.");
        }
        var (observed, steps) = Statistic(window, inB, metric);
        if (observed is null)
        {
            return new PermutationResult(null, null, 0, false, 0);
        }
        // Only subjects seen in the window are relabelled; the others have no rows and cannot matter.
        var seen = window.SelectMany(s => s.Subjects).Distinct().Order().ToArray();
        int b = seen.Count(s => inB[s]);
        double total = Binomial(seen.Length, b);
        double threshold = Math.Abs(observed.Value) * (1 - 1e-9);
        // Relabellings are drawn in order from the seeded generator, then evaluated in parallel: the count does not
        // depend on the order of evaluation, so the p-value stays deterministic.
        var relabellings = new List<bool[]>();
        bool exact = total <= permutations;
        if (exact)
        {
            foreach (var chosen in Combinations(seen.Length, b))
            {
                var labels = new bool[inB.Count];
                foreach (int i in chosen)
                {
                    labels[seen[i]] = true;
                }
                relabellings.Add(labels);
            }
        }
        else
        {
            var rng = new Random(seed);
            var order = (int[])seen.Clone();
            for (int k = 0; k < permutations; k++)
            {
                rng.Shuffle(order);
                var labels = new bool[inB.Count];
                for (int i = 0; i < b; i++)
                {
                    labels[order[i]] = true;
                }
                relabellings.Add(labels);
            }
        }
        var isExtreme = new bool[relabellings.Count];
        Parallel.For(0, relabellings.Count, k =>
        {
            var (t, _) = Statistic(window, relabellings[k], metric);
            isExtreme[k] = t is double v && Math.Abs(v) >= threshold;
        });
        int extreme = isExtreme.Count(x => x), count = relabellings.Count;
        return exact
            ? new PermutationResult(observed, (double)extreme / count, count, true, steps)
            : new PermutationResult(observed, (1.0 + extreme) / (1.0 + count), count, false, steps);
    }

    /// <summary>
    /// Every pair of groups (a &lt; b in group order) seen in the window, each tested on its own: only the two groups'
    /// subjects are kept and relabelled (their sizes kept), the statistic is metric(b) − metric(a). Pairs rather than
    /// one omnibus test, so that a result names the groups that differ; the caller corrects over the whole family.
    /// </summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="subjectGroup">Group index of every subject; negative = left out of every pair.</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="permutations">Largest number of relabellings per pair.</param>
    /// <param name="seed">Seed; pair k uses seed + k.</param>
    public static IReadOnlyList<PairPermutationResult> RunPairs(IReadOnlyList<GramStep> window, IReadOnlyList<int> subjectGroup,
        int groups, string metric, int permutations, int seed)
    {
        var seen = window.SelectMany(s => s.Subjects).Distinct().ToArray();
        var results = new List<PairPermutationResult>();
        for (int a = 0; a < groups; a++)
        {
            for (int b = a + 1; b < groups; b++)
            {
                int na = seen.Count(s => subjectGroup[s] == a), nb = seen.Count(s => subjectGroup[s] == b);
                if (na == 0 || nb == 0)
                {
                    continue;
                }
                var keep = subjectGroup.Select(g => g == a || g == b).ToArray();
                var inB = subjectGroup.Select(g => g == b).ToArray();
                var restricted = window.Select(s => s.Restrict(keep)).ToList();
                var result = Run(restricted, inB, metric, permutations, seed + results.Count);
                results.Add(new PairPermutationResult(a, b, na, nb, result));
            }
        }
        return results;
    }

    /// <summary>Mean over steps (where both groups have rows) of metric(B) − metric(A).</summary>
    internal static (double? Value, int Steps) Statistic(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric)
    {
        double sum = 0;
        int steps = 0;
        if (metric is "frobenius" or "frobenius_normalised")
        {
            var labels = inB as bool[] ?? [.. inB];
            foreach (var step in window)
            {
                var (fb, fa, nb, na) = step.FrobeniusSplit(labels);
                if (nb == 0 || na == 0)
                {
                    continue;
                }
                double mb = Math.Sqrt(fb), ma = Math.Sqrt(fa);
                if (metric == "frobenius_normalised")
                {
                    mb *= MetricNormaliser.Gradient(step.BatchSamples, nb);
                    ma *= MetricNormaliser.Gradient(step.BatchSamples, na);
                }
                sum += mb - ma;
                steps++;
            }
            return steps == 0 ? (null, 0) : (sum / steps, steps);
        }
        var inA = inB.Select(x => !x).ToArray();
        foreach (var step in window)
        {
            if (Value(step, inB, metric) is not double mb || Value(step, inA, metric) is not double ma)
            {
                continue;
            }
            sum += mb - ma;
            steps++;
        }
        return steps == 0 ? (null, 0) : (sum / steps, steps);
    }

    /// <summary>The metric of one group at one step; null when the group has no rows there.</summary>
    private static double? Value(GramStep step, IReadOnlyList<bool> inGroup, string metric)
    {
        int samples = step.Samples(inGroup);
        if (samples == 0)
        {
            return null;
        }
        var (sigma, _) = step.Group(inGroup);
        return Metric(sigma, samples, step.BatchSamples, metric);
    }

    private static double? Metric(double[] sigma, int groupSamples, int batchSamples, string metric)
    {
        var s = SpectrumSummary.Of(sigma, 5);
        return metric switch
        {
            "sigma1" => s.Sigma1,
            "sigma1_normalised" => s.Sigma1 * MetricNormaliser.Gradient(batchSamples, groupSamples),
            "frobenius" => s.Frobenius,
            "frobenius_normalised" => s.Frobenius * MetricNormaliser.Gradient(batchSamples, groupSamples),
            "nuclear" => s.Nuclear,
            "stable_rank" => s.StableRank,
            "effective_rank" => s.EffectiveRank,
            _ => s.SpectralDecay,
        };
    }

    private static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++)
        {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /// <summary>Every k-subset of {0..n−1}, in lexicographic order.</summary>
    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var c = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])c.Clone();
            int i = k - 1;
            while (i >= 0 && c[i] == n - k + i)
            {
                i--;
            }
            if (i < 0)
            {
                yield break;
            }
            c[i]++;
            for (int j = i + 1; j < k; j++)
            {
                c[j] = c[j - 1] + 1;
            }
        }
    }
}
