using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// The floating-point precision the spectra of G, A and Δ are computed in. Double is the default and agrees with an
/// explicit float64 SVD to float64 accuracy; Single does every product and decomposition in float32, faster, with the
/// errors docs/PERFORMANCE.md states as measured on every zoo model (σ_k² within a few 1e-6·σ₁², so singular values
/// near zero come out near √ε₃₂·σ₁ and rank-type metrics move by up to ~1e-3). σ(W) and the online permutation
/// test's Gram blocks are float64 either way.
/// </summary>
public enum SpectrumPrecision
{
    /// <summary>float64 from the layer's factors on.</summary>
    Double,

    /// <summary>float32 throughout.</summary>
    Single,
}

/// <summary>The tensor type of a <see cref="SpectrumPrecision"/>.</summary>
internal static class SpectrumPrecisionTypes
{
    public static ScalarType Working(this SpectrumPrecision precision) =>
        precision == SpectrumPrecision.Single ? ScalarType.Float32 : ScalarType.Float64;
}
