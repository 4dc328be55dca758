using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>σ(W) of a weight matrix (any shape; reshaped to rows = output units), descending.</summary>
public static class WeightSpectrum
{
    /// <summary>All singular values of <paramref name="weight"/>.</summary>
    public static double[] Compute(Tensor weight)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = weight.detach().reshape(weight.shape[0], -1);
        return SingularValues.FromSigma(linalg.svdvals(w), long.MaxValue);
    }
}
