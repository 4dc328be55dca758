using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// A 1-D to 3-D convolution (groups = 1) as one autograd node: the forward pass is libtorch's convolution, the
/// backward pass is built from forward-type convolutions only — the input gradient a transposed convolution of the
/// output gradient, the weight gradient a convolution of the input with the output gradient as kernel (stride and
/// dilation swap roles), the bias gradient a sum.
/// </summary>
/// <remarks>
/// Why by hand: libtorch 2.10's own convolution backward on these CPUs returns a wrong float32 input gradient at
/// stride 1 and NaN now and then on several threads (docs/TORCHSHARP.md), while the forward-type kernels used here
/// agree with the convolution's definition summed term by term (SafeBackwardConvolutionTests).
/// </remarks>
internal sealed class ConvolutionFunction : autograd.SingleTensorFunction<ConvolutionFunction>
{
    public override string Name => nameof(ConvolutionFunction);

    /// <summary>y = conv(x, weight) + bias with the given geometry (symmetric zero padding).</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation) =>
        bias is null ? apply(x, weight, stride, padding, dilation) : apply(x, weight, stride, padding, dilation, bias);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weight, stride, padding, dilation) = ((Tensor)vars[0], (Tensor)vars[1], (long[])vars[2], (long[])vars[3], (long[])vars[4]);
        var bias = vars.Length > 5 ? (Tensor)vars[5] : null;
        ctx.save_for_backward([x, weight]);
        ctx.save_data("geometry", (stride, padding, dilation));
        ctx.save_data("input_grad", x.requires_grad);
        ctx.save_data("bias", bias is not null);
        using (no_grad())
        {
            return Convolve(x, weight, bias, stride, padding, dilation);
        }
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (x, weight) = (saved[0], saved[1]);
        var (stride, padding, dilation) = ((long[], long[], long[]))ctx.get_data("geometry");
        int d = stride.Length;
        var spatial = Enumerable.Range(2, d).Select(i => (long)i).ToArray();
        using var dy = gradOutput.contiguous();

        Tensor? dx = null;
        if ((bool)ctx.get_data("input_grad"))
        {
            dx = InputGradient(dy, weight, x.shape, stride, padding, dilation);
        }

        // dW[o, c, k] = Σ_n Σ_l dy[n, o, l] · x_padded[n, c, l·s + k·dil]: a convolution over the batch axis with dy as
        // kernel, whose stride is the layer's dilation and whose dilation is the layer's stride.
        var pads = new long[2 * d];
        for (int i = 0; i < d; i++)
        {
            pads[2 * i] = pads[2 * i + 1] = padding[d - 1 - i];
        }
        using var padded = padding.Any(p => p != 0) ? nn.functional.pad(x, pads) : x.alias();
        using var inputs = padded.transpose(0, 1);
        using var kernels = dy.transpose(0, 1);
        using var full = Convolve(inputs, kernels, null, dilation, new long[d], stride);
        var crop = new TensorIndex[d + 2];
        crop[0] = TensorIndex.Colon;
        crop[1] = TensorIndex.Colon;
        for (int i = 0; i < d; i++)
        {
            crop[i + 2] = TensorIndex.Slice(0, weight.shape[2 + i]);
        }
        using var cropped = full[crop];
        var dw = cropped.transpose(0, 1).contiguous();

        var grads = new List<Tensor> { dx!, dw, null!, null!, null! };
        if ((bool)ctx.get_data("bias"))
        {
            grads.Add(dy.sum([0, .. spatial]));
        }
        return grads;
    }

    private static Tensor Convolve(Tensor x, Tensor w, Tensor? b, long[] stride, long[] padding, long[] dilation) => stride.Length switch
    {
        1 => nn.functional.conv1d(x, w, b, stride[0], padding[0], dilation[0]),
        2 => nn.functional.conv2d(x, w, b, stride, padding, dilation),
        _ => nn.functional.conv3d(x, w, b, stride, padding, dilation),
    };

    /// <summary>
    /// dx = the output gradient, spread out by the stride (zeros between its entries), correlated with the flipped
    /// and transposed kernel: a forward convolution (libtorch's transposed convolution shares the faulty kernel).
    /// </summary>
    private static Tensor InputGradient(Tensor dy, Tensor weight, long[] inputShape, long[] stride, long[] padding, long[] dilation)
    {
        using var scope = NewDisposeScope();
        int d = stride.Length;
        var spatial = Enumerable.Range(2, d).Select(i => (long)i).ToArray();
        var spread = dy;
        if (stride.Any(s => s > 1))
        {
            var shape = dy.shape.ToArray();
            var index = new TensorIndex[d + 2];
            index[0] = TensorIndex.Colon;
            index[1] = TensorIndex.Colon;
            for (int i = 0; i < d; i++)
            {
                shape[2 + i] = (dy.shape[2 + i] - 1) * stride[i] + 1;
                index[2 + i] = TensorIndex.Slice(0, shape[2 + i], stride[i]);
            }
            spread = zeros(shape, dy.dtype, dy.device);
            spread[index] = dy;
        }
        // Full correlation: pad by the kernel's span minus the layer's padding (negative = crop), and at the end by
        // the input positions no window reached (at most stride − 1).
        var pads = new long[2 * d];
        for (int i = 0; i < d; i++)
        {
            long span = dilation[i] * (weight.shape[2 + i] - 1);
            long covered = spread.shape[2 + i] + span - 2 * padding[i];
            pads[2 * (d - 1 - i)] = span - padding[i];
            pads[2 * (d - 1 - i) + 1] = span - padding[i] + (inputShape[2 + i] - covered);
        }
        var padded = nn.functional.pad(spread, pads);
        var kernel = weight.flip(spatial).transpose(0, 1);
        return Convolve(padded, kernel, null, Enumerable.Repeat(1L, d).ToArray(), new long[d], dilation).MoveToOuterDisposeScope();
    }
}
