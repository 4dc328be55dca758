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
/// The unfolded input is k-volume times the input and is formed again here (the native convolution never forms it):
/// for large volumes record less often (--every) or fewer layers, or use AutoSpec.Layers' UnfoldConvolution,
/// whose forward pass forms it anyway and hands it to the capture.
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
            throw new InvalidInputException($"Layer '{name}' is a transposed convolution, which AutoSpec cannot factor yet.");
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
        var a = Unfolding.Rows(x, conv.kernel_size, conv.stride, conv.dilation, before, after);
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
}
