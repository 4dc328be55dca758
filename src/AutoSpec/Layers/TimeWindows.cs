using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// Cuts time courses (N, C, T) into non-overlapping windows of <c>w</c> time points: (N, ⌊T/w⌋, C·w), one token per
/// window as in the MILC family of models. Trailing time points that do not fill a window are dropped.
/// </summary>
public sealed class TimeWindows(string name, long window) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>Window length in time points.</summary>
    public long Window { get; } = window > 0 ? window : throw new ArgumentException("window must be positive");

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], c = x.shape[1];
        var windows = x.unfold(2, Window, Window); // (N, C, W, w)
        return windows.permute(0, 2, 1, 3).reshape(n, windows.shape[2], c * Window);
    }
}
