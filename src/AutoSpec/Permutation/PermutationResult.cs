namespace AutoSpec.Permutation;

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
