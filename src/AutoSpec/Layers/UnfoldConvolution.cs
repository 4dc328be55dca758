using AutoSpec.Capture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// A 1-D, 2-D or 3-D convolution (groups = 1, zero padding) computed as receptive-field rows times the weight:
/// the same function and parameters (weight (C_out, C_in, k₁…k_d), bias (C_out)) as TorchSharp's Conv1d/2d/3d.
/// </summary>
/// <remarks>
/// The zoo's CNNs use it where libtorch's native convolution fails the start-up check
/// (<c>NativeConvolutionCheck</c> of AutoSpec.Study): on the project's machines libtorch 2.10's float32 convolution
/// misses the float64 result for several shapes (docs/TORCHSHARP.md). This layer uses no libtorch convolution
/// kernel: its forward pass is unfolded rows × weightᵀ, its input gradient the fold of <see cref="FieldsFunction"/>
/// (tested against the convolution's definition, and bit-identical over repeated passes). The capture reuses the
/// unfolded input of the forward pass: it watches the field product, whose input is already the unfolded input
/// (N, L₁…L_d, C_in·k), so A is a reshape of what the forward pass formed and Δ the output gradient with channels
/// last; weight reshaped to (C_out, C_in·k) = Δᵀ A.
/// </remarks>
public sealed class UnfoldConvolution : nn.Module<Tensor, Tensor>, IFactoredLayer
{
    private readonly FieldProduct _product;

    /// <summary>Creates the layer, initialised as TorchSharp initialises its convolutions.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="kernel">Kernel size per spatial dimension (its length sets the dimension, 1 to 3).</param>
    /// <param name="stride">Stride per dimension (default 1).</param>
    /// <param name="padding">Zero padding on both sides per dimension (default 0).</param>
    /// <param name="dilation">Dilation per dimension (default 1).</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    public UnfoldConvolution(string name, long inChannels, long outChannels, long[] kernel, long[]? stride = null,
        long[]? padding = null, long[]? dilation = null, bool bias = true) : base(name)
    {
        int d = kernel.Length;
        if (d is < 1 or > 3)
        {
            throw new ArgumentException($"UnfoldConvolution '{name}': kernel must have 1 to 3 dimensions, not {d}.", nameof(kernel));
        }
        Kernel = kernel;
        Stride = Check(stride ?? Filled(d, 1), d, nameof(stride), 1);
        Padding = Check(padding ?? Filled(d, 0), d, nameof(padding), 0);
        Dilation = Check(dilation ?? Filled(d, 1), d, nameof(dilation), 1);
        Check(kernel, d, nameof(kernel), 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        _weight = new Parameter(empty([outChannels, inChannels, .. kernel]));
        long fanIn = inChannels * kernel.Aggregate(1L, (a, b) => a * b);
        double bound = 1 / Math.Sqrt(fanIn);
        using (no_grad())
        {
            // As torch's ConvNd.reset_parameters: kaiming_uniform(a = √5) is uniform(±1/√fan_in).
            nn.init.uniform_(weight, -bound, bound);
        }
        register_parameter("weight", _weight);
        if (bias)
        {
            _bias = new Parameter(empty(outChannels));
            using (no_grad())
            {
                nn.init.uniform_(_bias, -bound, bound);
            }
            register_parameter("bias", _bias);
        }
        _product = new FieldProduct(this);
    }

    // Module.to(dtype/device) replaces each parameter through the property of its name; the setters register the
    // new one too (as TorchSharp's own layers do), or parameters() would keep returning tensors the forward pass no
    // longer uses, and an optimiser built after to() would train nothing.

    /// <summary>Weight, (C_out, C_in, k₁…k_d) as in TorchSharp's convolutions.</summary>
    public Parameter weight
    {
        get => _weight;
        set
        {
            if (!ReferenceEquals(value, _weight))
            {
                _weight.Dispose();
            }
            _weight = value;
            ConditionallyRegisterParameter(nameof(weight), value);
        }
    }

    /// <summary>Bias (C_out), or null.</summary>
    public Parameter? bias
    {
        get => _bias;
        set
        {
            if (!ReferenceEquals(value, _bias))
            {
                _bias?.Dispose();
            }
            _bias = value;
            ConditionallyRegisterParameter(nameof(bias), value);
        }
    }

    private Parameter _weight;
    private Parameter? _bias;

    /// <summary>C_in.</summary>
    public long InChannels { get; }

    /// <summary>C_out.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size per spatial dimension.</summary>
    public long[] Kernel { get; }

    /// <summary>Stride per spatial dimension.</summary>
    public long[] Stride { get; }

    /// <summary>Zero padding on both sides, per spatial dimension.</summary>
    public long[] Padding { get; }

    /// <summary>Dilation per spatial dimension.</summary>
    public long[] Dilation { get; }

    /// <inheritdoc />
    string IFactoredLayer.Kind => $"conv{Kernel.Length}d";

    /// <inheritdoc />
    Parameter IFactoredLayer.Weight => weight;

    /// <summary>
    /// The module that multiplies the receptive fields (N, L₁…L_d, C_in·k) by the weight: its forward call sees the
    /// unfolded input and the output before channels are moved back, which is what the capture needs.
    /// </summary>
    nn.Module<Tensor, Tensor> IFactoredLayer.Observed => _product;

    /// <inheritdoc />
    (Tensor A, Tensor Delta) IFactoredLayer.Factors(Tensor input, Tensor outputGrad) =>
        (input.reshape(-1, input.shape[^1]), outputGrad.reshape(-1, OutChannels));

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        int d = Kernel.Length;
        if (x.dim() != d + 2 || x.shape[1] != InChannels)
        {
            throw new ArgumentException(
                $"UnfoldConvolution '{GetName()}': expected input (N, {InChannels}, {d} spatial dimensions), got [{string.Join(", ", x.shape)}].");
        }
        // The plain unfold where no input gradient is needed (a first layer): its autograd node would do nothing.
        using var fields = x.requires_grad && is_grad_enabled()
            ? FieldsFunction.Apply(x, Kernel, Stride, Dilation, Padding, Padding)
            : Unfolding.Fields(x, Kernel, Stride, Dilation, Padding, Padding);
        var y = _product.call(fields);
        // (N, L₁…L_d, C_out) → (N, C_out, L₁…L_d)
        var perm = new long[d + 2];
        perm[1] = d + 1;
        for (int i = 0; i < d; i++)
        {
            perm[i + 2] = i + 1;
        }
        return y.permute(perm);
    }

    /// <summary>Copies weight and bias from a TorchSharp convolution of the same shape.</summary>
    public void CopyFrom(Convolution native)
    {
        using (no_grad())
        {
            weight.copy_(native.weight!);
            if (bias is not null && native.bias is not null)
            {
                bias.copy_(native.bias);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _product.Dispose();
        }
        base.Dispose(disposing);
    }

    private static long[] Filled(int d, long value) => Enumerable.Repeat(value, d).ToArray();

    private static long[] Check(long[] values, int d, string what, long min)
    {
        if (values.Length != d || values.Any(v => v < min))
        {
            throw new ArgumentException($"UnfoldConvolution: {what} needs {d} values ≥ {min}, got [{string.Join(", ", values)}].", what);
        }
        return values;
    }

    /// <summary>fields × weightᵀ + bias; not registered as a submodule (it owns no parameters).</summary>
    private sealed class FieldProduct(UnfoldConvolution owner) : nn.Module<Tensor, Tensor>("product")
    {
        public override Tensor forward(Tensor fields)
        {
            using var w = owner.weight.reshape(owner.OutChannels, -1);
            return nn.functional.linear(fields, w, owner.bias);
        }
    }
}
