using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// The floating-point precision the spectra are computed in. Double is the default and agrees with an explicit
/// float64 SVD to float64 accuracy; Single does every product and decomposition in float32, faster and within the
/// bounds docs/PERFORMANCE.md states as measured on every zoo model. The online permutation test's Gram blocks are
/// float64 either way.
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
