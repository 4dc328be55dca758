namespace AutoSpec.Spectra;

/// <summary>
/// Every metric, declared once: the columns of metrics.parquet, the permutation tests' metrics and their defaults,
/// the analysis's default descriptive metrics and the wording of reports are all read from here, so adding a metric
/// is one entry in <see cref="All"/>.
/// </summary>
public static class SpectralMetrics
{
    /// <summary>Every metric; the columns of metrics.parquet come in this order.</summary>
    public static IReadOnlyList<SpectralMetric> All { get; } =
    [
        new("sigma1", "σ₁ (largest singular value)") { FromSummary = (s, _) => s.Sigma1 },
        new("frobenius", "Frobenius norm") { FromSummary = (s, _) => s.Frobenius, GramDifference = (step, inB) => Frobenius(step, inB, false) },
        new("nuclear", "nuclear norm") { FromSummary = (s, _) => s.Nuclear },
        new("stable_rank", "stable rank") { FromSummary = (s, _) => s.StableRank, DescriptivePosition = 2 },
        new("effective_rank", "effective rank") { FromSummary = (s, _) => s.EffectiveRank, DescriptivePosition = 3 },
        new("topk_sum", "top-K sum") { FromSummary = (s, _) => s.TopKSum, TakesTopK = true },
        new("topk_fraction", "top-K share of the spectrum") { FromSummary = (s, _) => s.TopKFraction, TakesTopK = true, DescriptivePosition = 4 },
        new("sigma1_normalised", "σ₁ of the per-sample mean gradient") { FromSummary = (s, n) => s.Sigma1 * n, DescriptivePosition = 0 },
        new("frobenius_normalised", "norm of the per-sample mean gradient")
        {
            FromSummary = (s, n) => s.Frobenius * n,
            GramDifference = (step, inB) => Frobenius(step, inB, true),
            DescriptivePosition = 1,
            PermutationDefault = true,
        },
        new("spectral_decay", "spectral decay slope") { FromSummary = (s, _) => s.SpectralDecay, DescriptivePosition = 5 },
        new("sample_rms", "root-mean-square norm of the subjects' own gradients")
        {
            GramDifference = SampleRms,
            SizeFree = true,
            PermutationDefault = true,
        },
    ];

    /// <summary>The columns of metrics.parquet, in order.</summary>
    public static IReadOnlyList<SpectralMetric> Columns { get; } = [.. All.Where(m => m.IsColumn)];

    /// <summary>Metrics the permutation tests can use.</summary>
    public static IReadOnlyList<SpectralMetric> Permutable { get; } = [.. All.Where(m => m.Permutable)];

    /// <summary>Metrics the online permutation test uses unless told otherwise.</summary>
    public static IReadOnlyList<SpectralMetric> PermutationDefaults { get; } = [.. All.Where(m => m.PermutationDefault)];

    /// <summary>The analysis's default descriptive metrics (per-epoch values, trajectories), in order.</summary>
    public static IReadOnlyList<SpectralMetric> DescriptiveDefaults { get; } =
        [.. All.Where(m => m.DescriptivePosition is not null).OrderBy(m => m.DescriptivePosition)];

    /// <summary>The metric of this name, or null.</summary>
    public static SpectralMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>Plain-words name of a metric (the name itself when unknown).</summary>
    public static string Describe(string name) => Find(name)?.Words ?? name;

    /// <summary>‖G_B‖_F − ‖G_A‖_F, per-sample (× N/n_g) when normalised: a quadratic form of the cached blocks.</summary>
    private static double? Frobenius(GramStep step, bool[] inB, bool normalised)
    {
        var (fb, fa, nb, na) = step.FrobeniusSplit(inB);
        if (nb == 0 || na == 0)
        {
            return null;
        }
        double mb = Math.Sqrt(fb), ma = Math.Sqrt(fa);
        if (normalised)
        {
            mb *= MetricNormaliser.Gradient(step.BatchSamples, nb);
            ma *= MetricNormaliser.Gradient(step.BatchSamples, na);
        }
        return mb - ma;
    }

    /// <summary>
    /// N·√(Σ_{s∈g}‖G_s‖²_F / n_g) of B minus A: N·‖G_s‖ is subject s's own gradient of a mean-reduced loss, and this
    /// is its root mean square over the group (no noise term that shrinks with the group's size).
    /// </summary>
    private static double? SampleRms(GramStep step, bool[] inB)
    {
        var (eb, ea, nb, na) = step.EnergySplit(inB);
        if (nb == 0 || na == 0)
        {
            return null;
        }
        return step.BatchSamples * (Math.Sqrt(eb / nb) - Math.Sqrt(ea / na));
    }
}
