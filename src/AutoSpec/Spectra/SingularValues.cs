using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>Conversions from LAPACK results to the descending double arrays the recorder writes.</summary>
internal static class SingularValues
{
    /// <summary>Singular values (any order) → descending, first <paramref name="keep"/> values.</summary>
    public static double[] FromSigma(Tensor sigma, long keep)
    {
        return Descending(ToHost(sigma), keep);
    }

    /// <summary>
    /// The values of a CPU tensor as float64, copied to the host in one block move. (TorchSharp's
    /// <c>data&lt;T&gt;().ToArray()</c> reads element by element: 40× slower for a few thousand values, measured.)
    /// </summary>
    public static double[] ToHost(Tensor t)
    {
        using var d = t.to_type(ScalarType.Float64).contiguous();
        return MemoryMarshal.Cast<byte, double>(d.bytes).ToArray();
    }

    /// <summary>Singular values (any order, already copied to the host) → descending, first <paramref name="keep"/>.</summary>
    public static double[] Descending(ReadOnlySpan<double> sigma, long keep)
    {
        var values = sigma.ToArray();
        Array.Sort(values, static (a, b) => b.CompareTo(a));
        return values.Length <= keep ? values : values[..(int)keep];
    }

    /// <summary>
    /// Eigenvalues of a Gram matrix (σ², any order) → singular values, descending, first <paramref name="keep"/>.
    /// Round-off can make tiny eigenvalues negative: they are clamped to zero.
    /// </summary>
    public static double[] FromSquared(Tensor eigenvalues, long keep) => FromSquared(ToHost(eigenvalues), keep);

    /// <summary>Eigenvalues already copied to the host (σ², any order) → singular values, as above.</summary>
    public static double[] FromSquared(ReadOnlySpan<double> eigenvalues, long keep)
    {
        var values = eigenvalues.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Sqrt(Math.Max(values[i], 0.0));
        }
        Array.Sort(values, static (a, b) => b.CompareTo(a));
        return values.Length <= keep ? values : values[..(int)keep];
    }
}
