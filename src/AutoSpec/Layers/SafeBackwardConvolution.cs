using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// A 1-D, 2-D or 3-D convolution (groups = 1, zero padding) with the same function and parameters (weight
/// (C_out, C_in, k₁…k_d), bias (C_out)) as TorchSharp's Conv1d/2d/3d, whose backward pass avoids libtorch's
/// convolution backward (<see cref="ConvolutionFunction"/>).
/// </summary>
/// <remarks>
/// Why not the native layer: with libtorch 2.10 on these CPUs its float32 input gradient is wrong at stride 1 and
/// its backward returns NaN now and then on several threads (docs/TORCHSHARP.md). The forward pass is the native
/// one, so plain training runs at native speed.
/// </remarks>
public sealed class SafeBackwardConvolution : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer, initialised as TorchSharp initialises its convolutions.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">C_in.</param>
    /// <param name="outChannels">C_out.</param>
    /// <param name="kernel">Kernel size per spatial dimension (its length sets the dimension, 1 to 3).</param>
    /// <param name="stride">Stride per dimension (default 1).</param>
    /// <param name="padding">Zero padding on both sides per dimension (default 0).</param>
    /// <param name="dilation">Dilation per dimension (default 1).</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    public SafeBackwardConvolution(string name, long inChannels, long outChannels, long[] kernel, long[]? stride = null,
        long[]? padding = null, long[]? dilation = null, bool bias = true) : base(name)
    {
        int d = kernel.Length;
        if (d is < 1 or > 3)
        {
            throw new ArgumentException($"SafeBackwardConvolution '{name}': kernel must have 1 to 3 dimensions, not {d}.", nameof(kernel));
        }
        Kernel = kernel;
        Stride = Check(stride ?? Filled(d, 1), d, nameof(stride), 1);
        Padding = Check(padding ?? Filled(d, 0), d, nameof(padding), 0);
        Dilation = Check(dilation ?? Filled(d, 1), d, nameof(dilation), 1);
        Check(kernel, d, nameof(kernel), 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        weight = new Parameter(empty([outChannels, inChannels, .. kernel]));
        long fanIn = inChannels * kernel.Aggregate(1L, (a, b) => a * b);
        double bound = 1 / Math.Sqrt(fanIn);
        using (no_grad())
        {
            // As torch's ConvNd.reset_parameters: kaiming_uniform(a = √5) is uniform(±1/√fan_in).
            nn.init.uniform_(weight, -bound, bound);
        }
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = new Parameter(empty(outChannels));
            using (no_grad())
            {
                nn.init.uniform_(this.bias, -bound, bound);
            }
            register_parameter("bias", this.bias);
        }
    }

    // Settable, as TorchSharp's own layers: Module.to(dtype/device) replaces parameters through these properties.

    /// <summary>Weight, (C_out, C_in, k₁…k_d) as in TorchSharp's convolutions.</summary>
    public Parameter weight { get; set; }

    /// <summary>Bias (C_out), or null.</summary>
    public Parameter? bias { get; set; }

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
    public override Tensor forward(Tensor x)
    {
        int d = Kernel.Length;
        if (x.dim() != d + 2 || x.shape[1] != InChannels)
        {
            throw new ArgumentException(
                $"SafeBackwardConvolution '{GetName()}': expected input (N, {InChannels}, {d} spatial dimensions), got [{string.Join(", ", x.shape)}].");
        }
        return ConvolutionFunction.Apply(x, weight, bias, Stride, Padding, Dilation);
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

    private static long[] Filled(int d, long value) => Enumerable.Repeat(value, d).ToArray();

    private static long[] Check(long[] values, int d, string what, long min)
    {
        if (values.Length != d || values.Any(v => v < min))
        {
            throw new ArgumentException($"SafeBackwardConvolution: {what} needs {d} values ≥ {min}, got [{string.Join(", ", values)}].", what);
        }
        return values;
    }
}
