using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Singular values (descending, all structurally non-zero ones: min(rows, p, q) for the gradient) of one group's
/// gradient and factors for one layer and step. A quantity not requested is null.
/// </summary>
public sealed record GroupSpectra(GroupRows Group, SpectrumRoute Route, double[]? Grad, double[]? Act, double[]? Delta)
{
    /// <summary>The spectrum of one single quantity (Grad, Act or Delta).</summary>
    public double[]? Of(SpectrumQuantities quantity) => quantity switch
    {
        SpectrumQuantities.Grad => Grad,
        SpectrumQuantities.Act => Act,
        SpectrumQuantities.Delta => Delta,
        _ => null,
    };
}
