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
        int extreme = 0, count = 0;
        void Evaluate(bool[] labels)
        {
            var (t, _) = Statistic(window, labels, metric);
            count++;
            if (t is double v && Math.Abs(v) >= threshold)
            {
                extreme++;
            }
        }
        var labels = new bool[inB.Count];
        if (total <= permutations)
        {
            foreach (var chosen in Combinations(seen.Length, b))
            {
                Array.Clear(labels);
                foreach (int i in chosen)
                {
                    labels[seen[i]] = true;
                }
                Evaluate(labels);
            }
            return new PermutationResult(observed, (double)extreme / count, count, true, steps);
        }
        var rng = new Random(seed);
        var order = (int[])seen.Clone();
        for (int k = 0; k < permutations; k++)
        {
            rng.Shuffle(order);
            Array.Clear(labels);
            for (int i = 0; i < b; i++)
            {
                labels[order[i]] = true;
            }
            Evaluate(labels);
        }
        return new PermutationResult(observed, (1.0 + extreme) / (1.0 + count), count, false, steps);
    }

    /// <summary>Mean over steps (where both groups have rows) of metric(B) − metric(A).</summary>
    internal static (double? Value, int Steps) Statistic(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric)
    {
        double sum = 0;
        int steps = 0;
        var inA = inB.Select(x => !x).ToArray();
        foreach (var step in window)
        {
            int batch = step.Subjects.Length;
            var (sb, nb) = step.Group(inB);
            var (sa, na) = step.Group(inA);
            if (nb == 0 || na == 0 || Metric(sb, nb, batch, metric) is not double mb || Metric(sa, na, batch, metric) is not double ma)
            {
                continue;
            }
            sum += mb - ma;
            steps++;
        }
        return steps == 0 ? (null, 0) : (sum / steps, steps);
    }

    private static double? Metric(double[] sigma, int groupSubjects, int batchSubjects, string metric)
    {
        var s = SpectrumSummary.Of(sigma, 5);
        return metric switch
        {
            "sigma1" => s.Sigma1,
            "sigma1_normalised" => s.Sigma1 * MetricNormaliser.Gradient(batchSubjects, groupSubjects),
            "frobenius" => s.Frobenius,
            "frobenius_normalised" => s.Frobenius * MetricNormaliser.Gradient(batchSubjects, groupSubjects),
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
