using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Factors that remove the group-size dependence of σ₁ and the Frobenius norm (DESIGN.md: σ(G_g) grows with n_g).
/// </summary>
internal static class MetricNormaliser
{
    /// <summary>
    /// Gradient of a mean-reduced loss: G_g = (1/N) Σ_{i∈g} ∇ℓ_i, so the per-sample mean gradient of the group is
    /// G_g · N / n_g.
    /// </summary>
    public static double Gradient(int batchSamples, int groupSamples) => (double)batchSamples / groupSamples;

    /// <summary>Factors A_g and Δ_g: root-mean-square per row, i.e. divide by √rows.</summary>
    public static double Factor(int groupRows) => 1.0 / Math.Sqrt(groupRows);

    /// <summary>The normaliser of one group's spectrum of <paramref name="quantity"/> (Grad, Act or Delta) at a step.</summary>
    public static double Of(SpectrumQuantities quantity, int batchSamples, GroupRows group) => quantity == SpectrumQuantities.Grad
        ? Gradient(batchSamples, group.SampleCount)
        : Factor(group.RowCount);
}
