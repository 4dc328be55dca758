using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// libtorch 2.10's CPU convolution backward (TorchSharp 0.107) is not safe with several intra-op threads when a
/// convolution's input needs a gradient (stacked convolutions): checked here, the same Conv3d backward twice differs
/// by 25 % of the gradient's size, and a stacked Conv2d backward gives NaN in 5–7 % of repetitions on a loaded
/// machine; with one thread both are bit-identical every time (docs/TORCHSHARP.md; the same class of race as
/// pytorch/pytorch#34344). Such models train correctly only single-threaded, and libtorch honours a change of the
/// thread count reliably only before its first parallel work. The zoo's CNNs avoid the native layer altogether
/// (<see cref="Layers.UnfoldConvolution"/>); this guard protects models that bring native convolutions.
/// </summary>
public static class ConvolutionThreadingGuard
{
    /// <summary>Whether the model stacks convolutions (two or more), whose backward runs into the race.</summary>
    public static bool IsAffected(nn.Module model) =>
        model.modules().Prepend(model).Count(m => m is Convolution) >= 2;

    /// <summary>
    /// Drops to one intra-op thread when the model is affected and more are set; returns the warning to record,
    /// or null when nothing changed.
    /// </summary>
    public static string? Apply(nn.Module model)
    {
        if (!IsAffected(model) || get_num_threads() <= 1)
        {
            return null;
        }
        int before = get_num_threads();
        set_num_threads(1);
        return $"The model stacks convolutions, whose CPU backward in libtorch 2.10 is unreliable with several threads; training runs on 1 thread instead of {before}.";
    }
}
