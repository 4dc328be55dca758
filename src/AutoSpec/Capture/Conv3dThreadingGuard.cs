using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// libtorch 2.10's CPU Conv3d backward (TorchSharp 0.107) returns wrong, run-to-run different and sometimes NaN
/// weight gradients when more than one intra-op thread runs and a Conv3d's input requires a gradient (stacked
/// Conv3d layers). Checked here: the same backward twice differs by 25 % of the gradient's size with 2 threads and
/// is bit-identical with 1 (see docs/TORCHSHARP.md; the same class of race as pytorch/pytorch#34344). Training such
/// a model is only correct single-threaded, and libtorch honours a change of the thread count reliably only before
/// its first parallel work: the CLI therefore sets it at start-up for cnn3d models.
/// </summary>
public static class Conv3dThreadingGuard
{
    /// <summary>Whether the model holds a Conv3d whose backward runs into the race (two or more Conv3d layers).</summary>
    public static bool IsAffected(nn.Module model) =>
        model.modules().Prepend(model).Count(m => m is Conv3d) >= 2;

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
        return $"The model stacks Conv3d layers, whose CPU backward in libtorch 2.10 is wrong with several threads; training runs on 1 thread instead of {before}.";
    }
}
