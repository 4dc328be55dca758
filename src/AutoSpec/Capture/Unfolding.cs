using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// im2col for 1-D to 3-D inputs: every receptive field of a convolution as one row, in the weight's
/// (C_in, k₁, k₂, k₃) order, so that a convolution is rows × weightᵀ.
/// </summary>
/// <remarks>
/// Written here because libtorch's unfold (im2col) covers only 2-D inputs; Tensor.unfold along each spatial
/// dimension handles 1-D to 3-D alike (gradients go through the fold of AutoSpec.Layers' FieldsFunction, not through
/// these views). It lives in Capture, below Layers, because the capture of native convolutions forms the same rows.
/// </remarks>
internal static class Unfolding
{
    /// <summary>(N, C, S₁…S_d) → (N, L₁…L_d, C·k₁⋯k_d): the receptive fields of each output position.</summary>
    public static Tensor Fields(Tensor x, long[] kernel, long[] stride, long[] dilation, long[] before, long[] after)
    {
        int d = kernel.Length;
        long c = x.shape[1];
        if (before.Any(v => v != 0) || after.Any(v => v != 0))
        {
            // nn.functional.pad lists the last dimension first.
            var pads = new long[2 * d];
            for (int i = 0; i < d; i++)
            {
                pads[2 * i] = before[d - 1 - i];
                pads[2 * i + 1] = after[d - 1 - i];
            }
            x = nn.functional.pad(x, pads);
        }
        for (int i = 0; i < d; i++)
        {
            long span = dilation[i] * (kernel[i] - 1) + 1;
            x = x.unfold(2 + i, span, stride[i]);
            if (dilation[i] > 1)
            {
                x = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, span, dilation[i])];
            }
        }
        // (N, C, L₁…L_d, k₁…k_d) → (N, L₁…L_d, C, k₁…k_d)
        var perm = new List<long> { 0 };
        for (int i = 0; i < d; i++)
        {
            perm.Add(2 + i);
        }
        perm.Add(1);
        for (int i = 0; i < d; i++)
        {
            perm.Add(2 + d + i);
        }
        var shape = new long[d + 2];
        for (int i = 0; i <= d; i++)
        {
            shape[i] = x.shape[i == 0 ? 0 : 1 + i];
        }
        shape[d + 1] = c * kernel.Aggregate(1L, (a, b) => a * b);
        return x.permute([.. perm]).reshape(shape);
    }

    /// <summary>(N, C, S₁…S_d) → (N·L, C·k₁⋯k_d), one row per output position, sample-major.</summary>
    public static Tensor Rows(Tensor x, long[] kernel, long[] stride, long[] dilation, long[] before, long[] after)
    {
        var fields = Fields(x, kernel, stride, dilation, before, after);
        return fields.reshape(-1, fields.shape[^1]);
    }
}
