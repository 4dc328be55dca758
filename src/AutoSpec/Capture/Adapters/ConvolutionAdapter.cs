using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture.Adapters;

/// <summary>
/// Conv1d/2d/3d (groups = 1, any stride, padding, dilation): rows = samples × output positions. A is the unfolded
/// input (each row one receptive field, C_in·kernel volume wide, in the weight's (C_in, k₁, k₂, k₃) order), Δ the
/// output gradient with channels last, so weight.grad reshaped to (C_out, C_in·kernel) = Δᵀ A.
/// </summary>
/// <remarks>
/// The unfolding is written here because libtorch's unfold (im2col) covers only 2-D inputs; Tensor.unfold along each
/// spatial dimension handles 1-D to 3-D alike. The unfolded input is k-volume times the input: for large volumes
/// record less often (--every) or fewer layers.
/// </remarks>
internal sealed class ConvolutionAdapter : ILayerAdapter
{
    public string Kind(nn.Module module) => $"conv{((Convolution)module).kernel_size.Length}d";

    public bool Handles(nn.Module module) => module is Convolution;

    public void Validate(string name, nn.Module module)
    {
        var conv = (Convolution)module;
        if (conv.transposed)
        {
            throw new InvalidInputException($"Layer '{name}' is a transposed convolution, which AutoSpec cannot factor yet; supported: {LayerAdapters.SupportedList}.");
        }
        if (conv.groups != 1)
        {
            throw new InvalidInputException($"Layer '{name}' is a grouped convolution (groups = {conv.groups}); AutoSpec supports groups = 1 only.");
        }
        if (conv.padding_mode != PaddingModes.Zeros)
        {
            throw new InvalidInputException($"Layer '{name}' pads with mode {conv.padding_mode}; AutoSpec supports zero padding only.");
        }
    }

    public Parameter Weight(nn.Module module) => ((Convolution)module).weight!;

    public (Tensor A, Tensor Delta) Factors(nn.Module module, Tensor input, Tensor outputGrad)
    {
        var conv = (Convolution)module;
        int d = conv.kernel_size.Length;
        bool batched = input.dim() == d + 2;
        var x = batched ? input : input.unsqueeze(0);
        var g = batched ? outputGrad : outputGrad.unsqueeze(0);
        var (before, after) = Padding(conv, d);
        var a = Unfold(x, conv.kernel_size, conv.stride, conv.dilation, before, after);
        // Δ: (N, C_out, L₁…L_d) → (N, L₁…L_d, C_out) → rows.
        var perm = new long[d + 2];
        perm[0] = 0;
        for (int i = 0; i < d; i++)
        {
            perm[i + 1] = i + 2;
        }
        perm[d + 1] = 1;
        var delta = g.permute(perm).reshape(-1, conv.out_channels);
        return (a, delta);
    }

    private static (long[] Before, long[] After) Padding(Convolution conv, int d)
    {
        var before = new long[d];
        var after = new long[d];
        for (int i = 0; i < d; i++)
        {
            if (conv.padding_type == TorchSharp.Padding.Same)
            {
                // As libtorch pads for "same": the odd extra element goes after.
                long total = conv.dilation[i] * (conv.kernel_size[i] - 1);
                before[i] = total / 2;
                after[i] = total - before[i];
            }
            else if (conv.padding_type != TorchSharp.Padding.Valid && conv.padding is { } p)
            {
                before[i] = after[i] = p.Length == 1 ? p[0] : p[i];
            }
        }
        return (before, after);
    }

    /// <summary>(N, C, S₁…S_d) → (N·L, C·k₁⋯k_d), one row per output position, sample-major.</summary>
    internal static Tensor Unfold(Tensor x, long[] kernel, long[] stride, long[] dilation, long[] before, long[] after)
    {
        int d = kernel.Length;
        long n = x.shape[0], c = x.shape[1];
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
        long kernelVolume = kernel.Aggregate(1L, (a, b) => a * b);
        return x.permute([.. perm]).reshape(-1, c * kernelVolume);
    }
}
