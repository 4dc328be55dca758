using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Models;

/// <summary>
/// Time courses (N, T, C) cut into non-overlapping windows of W time points; one LSTM encodes every window, the
/// window codes are averaged and a Linear layer classifies (the shape of whole-MILC style models).
/// </summary>
internal sealed class WindowedLstm : nn.Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly Linear fc;
    private readonly int _window;

    public WindowedLstm(int components, int window, int hidden, int classes) : base(nameof(WindowedLstm))
    {
        _window = window;
        lstm = nn.LSTM(components, hidden, batchFirst: true);
        fc = nn.Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], t = x.shape[1], c = x.shape[2];
        long windows = t / _window;
        var w = x.narrow(1, 0, windows * _window).reshape(n * windows, _window, c);
        var (output, _, _) = lstm.call(w);
        var last = output.select(1, _window - 1).reshape(n, windows, -1).mean([1]);
        return fc.call(last).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lstm.Dispose();
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
