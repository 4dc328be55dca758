namespace AutoSpec.Analyse;

/// <summary>The outcome of a within-run permutation test.</summary>
/// <param name="Statistic">Observed mean over the window's steps of metric(B) − metric(A).</param>
/// <param name="PValue">Two-sided p-value (null when no step has both groups).</param>
/// <param name="Permutations">Relabellings evaluated (all of them when <paramref name="Exact"/>).</param>
/// <param name="Exact">True when every relabelling with the same group sizes was enumerated.</param>
/// <param name="Steps">Steps in the window where both groups were present under the observed labels.</param>
public sealed record PermutationResult(double? Statistic, double? PValue, int Permutations, bool Exact, int Steps)
{
    /// <summary>
    /// The statistic under every relabelling, in the order of the <see cref="SubjectRelabelling"/> (NaN where a
    /// relabelling leaves a group without rows in every step); empty when not tested.
    /// </summary>
    public IReadOnlyList<double> Null { get; init; } = [];

    /// <summary>Mean of <see cref="Null"/>: what random groups of the same sizes show (not 0 when sizes differ).</summary>
    public double? NullMean { get; init; }

    /// <summary>Standard deviation of <see cref="Null"/>.</summary>
    public double? NullSd { get; init; }

    /// <summary>Seed of the relabellings (shared by every run on the same subjects with the same permutation seed).</summary>
    public int RelabellingSeed { get; init; }

    /// <summary>
    /// True when the relabellings were drawn over the data set's subjects, once per run (the same k-th relabelling in
    /// every window, layer and run on these subjects), so that statistics can be averaged relabelling by relabelling;
    /// false when drawn over the subjects a window saw.
    /// </summary>
    public bool Shared { get; init; }

    /// <summary>Statistic minus <see cref="NullMean"/>: the difference beyond what the group sizes alone produce.</summary>
    public double? Excess => Statistic - NullMean;

    /// <summary><see cref="Excess"/> in standard deviations of the null (null when the null does not vary).</summary>
    public double? Z => NullSd is > 0 ? Excess / NullSd : null;

    /// <summary>A result with no test (a note says why).</summary>
    public static PermutationResult None { get; } = new(null, null, 0, false, 0);

    /// <summary>
    /// The test of <paramref name="observed"/> against the statistics of the relabellings. Two-sided about the null's
    /// centre c, the mean of the observed and relabelled statistics (when sizes differ the null is not centred on 0,
    /// and |T| alone would miss differences against the size effect): extreme = |T_k − c| ≥ |T − c|, or T_k
    /// undefined. Exact: c is the mean over every relabelling and p = extreme / count (the observed labelling is one
    /// of them); Monte-Carlo: c includes the observed value, which keeps the B + 1 values exchangeable so the test
    /// stays valid with the centre estimated, and p = (1 + extreme)/(1 + count).
    /// </summary>
    public static PermutationResult Of(double observed, int steps, IReadOnlyList<double> nulls, bool exact, int seed, bool shared = false)
    {
        var finite = nulls.Where(double.IsFinite).ToArray();
        // An exact enumeration holds the observed labelling already; a Monte-Carlo sample gets it added.
        double centre = exact ? finite.Average() : (observed + finite.Sum()) / (1 + finite.Length);
        double threshold = Math.Abs(observed - centre) * (1 - 1e-9);
        int extreme = nulls.Count(t => !double.IsFinite(t) || Math.Abs(t - centre) >= threshold);
        double p = exact ? (double)extreme / nulls.Count : (1.0 + extreme) / (1.0 + nulls.Count);
        double? mean = finite.Length > 0 ? finite.Average() : null;
        double? sd = finite.Length > 1 ? Math.Sqrt(finite.Sum(t => (t - mean!.Value) * (t - mean.Value)) / (finite.Length - 1)) : null;
        return new PermutationResult(observed, p, nulls.Count, exact, steps)
        {
            Null = nulls,
            NullMean = mean,
            NullSd = sd,
            RelabellingSeed = seed,
            Shared = shared,
        };
    }
}

/// <summary>
/// Within one run, the exact test of DESIGN.md: permute the group labels over subjects (group sizes kept) and
/// recompute the group spectra of every step of a window from its cached Gram blocks. The statistic is the mean over
/// steps of metric(G_B) − metric(G_A) for a metric of <see cref="Metrics"/>; per-sample σ₁ and Frobenius norm use
/// the factor N/n_g of a mean-reduced loss. The relabellings come from <see cref="SubjectRelabelling"/>: all of them
/// when there are at most <c>permutations</c>, otherwise a seeded sample; p as in <see cref="PermutationResult.Of"/>.
/// </summary>
/// <remarks>Written by hand: a permutation test over cached Gram blocks is specific to this method.</remarks>
public static class GramPermutationTest
{
    /// <summary>Metrics the statistic can use.</summary>
    public static readonly IReadOnlyList<string> Metrics =
        ["sigma1", "sigma1_normalised", "frobenius", "frobenius_normalised", "sample_rms", "nuclear", "stable_rank", "effective_rank", "spectral_decay"];

    /// <summary>
    /// Metrics whose statistic needs no eigendecomposition per relabelling (cheap enough for thousands of
    /// relabellings during training).
    /// </summary>
    public static readonly IReadOnlyList<string> CheapMetrics = ["frobenius", "frobenius_normalised", "sample_rms"];

    /// <summary>Throws <see cref="InvalidInputException"/> unless every metric is one of <see cref="Metrics"/>.</summary>
    public static void CheckMetrics(IEnumerable<string> metrics, string option)
    {
        foreach (var m in metrics)
        {
            if (!Metrics.Contains(m))
            {
                throw new InvalidInputException($"{option}: unknown metric '{m}'; use any of {string.Join(", ", Metrics)}.");
            }
        }
    }

    /// <summary>
    /// Runs the test over a window of steps, relabelling the subjects seen in it (the universe is the window: use
    /// <see cref="RunPairs"/> to relabel over a data set's subjects).
    /// </summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="inB">Observed label of every subject: true = group B, false = group A.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="permutations">Largest number of relabellings to evaluate.</param>
    /// <param name="seed">Seed of the Monte-Carlo relabellings.</param>
    public static PermutationResult Run(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric,
        int permutations = 1000, int seed = 0)
    {
        var seen = window.SelectMany(s => s.Subjects).ToHashSet();
        var groups = Enumerable.Range(0, inB.Count).Select(s => !seen.Contains(s) ? -1 : inB[s] ? 1 : 0).ToArray();
        var relabelling = SubjectRelabelling.Of(groups, 0, 1, "A", "B", permutations, seed);
        return Run(window, inB, Enumerable.Range(0, inB.Count).ToArray(), relabelling, metric, shared: false);
    }

    /// <summary>Runs the test over a window with the given relabellings.</summary>
    /// <param name="window">Cached steps (one layer), restricted to the pair's subjects.</param>
    /// <param name="inB">Observed label of every window subject.</param>
    /// <param name="windowToUniverse">Universe subject of every window subject.</param>
    /// <param name="relabelling">The relabellings.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="shared">Whether the relabellings are the run's shared ones (<see cref="PermutationResult.Shared"/>).</param>
    public static PermutationResult Run(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, IReadOnlyList<int> windowToUniverse,
        SubjectRelabelling relabelling, string metric, bool shared)
    {
        CheckMetrics([metric], "permutation metric");
        var (observed, steps) = Statistic(window, inB, metric);
        if (observed is null)
        {
            return PermutationResult.None;
        }
        var nulls = new double[relabelling.Count];
        // Each relabelling's statistic goes to its own slot: the result does not depend on the order of evaluation.
        Parallel.For(0, relabelling.Count, k =>
        {
            var (t, _) = Statistic(window, relabelling.InB(k, windowToUniverse), metric);
            nulls[k] = t ?? double.NaN;
        });
        return PermutationResult.Of(observed.Value, steps, nulls, relabelling.Exact, relabelling.Seed, shared);
    }

    /// <summary>
    /// Every pair of groups (a &lt; b in group order) seen in the window, each tested on its own: only the two groups'
    /// subjects are kept, and their labels are permuted over the universe's subjects of the two groups (their sizes
    /// kept); the statistic is metric(b) − metric(a). Pairs rather than one omnibus test, so that a result names the
    /// groups that differ; the caller corrects over the whole family.
    /// </summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="subjectGroup">Group index of every window subject; negative = left out of every pair.</param>
    /// <param name="windowToUniverse">Universe subject of every window subject.</param>
    /// <param name="relabellings">Relabellings of pair (a, b), built once per run (see <see cref="SubjectRelabelling.Of"/>).</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="shared">Whether the relabellings are the run's shared ones (<see cref="PermutationResult.Shared"/>).</param>
    public static IReadOnlyList<PairPermutationResult> RunPairs(IReadOnlyList<GramStep> window, IReadOnlyList<int> subjectGroup,
        IReadOnlyList<int> windowToUniverse, Func<int, int, SubjectRelabelling> relabellings, int groups, string metric, bool shared)
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
                var relabelling = relabellings(a, b);
                var result = Run(restricted, inB, windowToUniverse, relabelling, metric, shared);
                results.Add(new PairPermutationResult(a, b, na, nb, relabelling.UniverseA, relabelling.UniverseB, result));
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
        if (metric == "sample_rms")
        {
            var labels = inB as bool[] ?? [.. inB];
            foreach (var step in window)
            {
                var (eb, ea, nb, na) = step.EnergySplit(labels);
                if (nb == 0 || na == 0)
                {
                    continue;
                }
                // N·‖G_s‖ is subject s's own gradient of a mean-reduced loss; its root mean square over the group.
                sum += step.BatchSamples * (Math.Sqrt(eb / nb) - Math.Sqrt(ea / na));
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
            "spectral_decay" => s.SpectralDecay,
            _ => throw new ArgumentException($"metric '{metric}' has no spectrum-based statistic", nameof(metric)),
        };
    }
}
