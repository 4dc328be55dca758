namespace AutoSpec.Models;

/// <summary>
/// One convolution layer of a model as it will run: channels, kernel, zero padding (stride 1) and the spatial size of
/// its input; what <see cref="NativeConvolutionCheck"/> tries.
/// </summary>
/// <param name="Layer">The layer's name in the model (conv1, conv2, …).</param>
/// <param name="InChannels">C_in.</param>
/// <param name="OutChannels">C_out.</param>
/// <param name="Kernel">Kernel size per spatial dimension.</param>
/// <param name="Padding">Zero padding on both sides, per spatial dimension.</param>
/// <param name="InputSize">Spatial size of the layer's input.</param>
internal sealed record ConvolutionShape(string Layer, long InChannels, long OutChannels, long[] Kernel, long[] Padding, long[] InputSize)
{
    /// <summary>e.g. "conv2 1-D 16→32, kernel 5, padding 2, input 70".</summary>
    public override string ToString() =>
        $"{Layer} {Kernel.Length}-D {InChannels}→{OutChannels}, kernel {string.Join("×", Kernel)}, padding {string.Join("×", Padding)}, input {string.Join("×", InputSize)}";
}
