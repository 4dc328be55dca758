using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// Watches one Linear layer during ordinary training: its forward hook keeps the layer input (A) and marks the output
/// so that backward retains its gradient (Δ). No extra forward or backward pass is made.
/// </summary>
/// <remarks>
/// Kept tensors are detached from any dispose scope and owned here (nn.Sequential disposes intermediates, and the
/// caller's step scope must not take them away before the spectra are computed); <see cref="Clear"/> releases them.
/// A layer called several times in one forward pass (shared weights, recurrent steps) contributes the rows of every
/// call, stacked: the weight gradient is the sum over calls, which is again one product Aᵀ Δ.
/// </remarks>
public sealed class LinearLayerCapture : IDisposable
{
    private readonly List<(Tensor Input, Tensor Output)> _calls = [];
    private readonly Action _unhook;

    internal LinearLayerCapture(string name, Linear module)
    {
        Name = name;
        Module = module;
        var remover = module.register_forward_hook(OnForward);
        _unhook = remover.remove;
    }

    /// <summary>Layer name as in the model's named_modules.</summary>
    public string Name { get; }

    /// <summary>The watched layer.</summary>
    public Linear Module { get; }

    /// <summary>When false the hook does nothing (steps that are not recorded cost nothing).</summary>
    public bool Enabled { get; set; }

    /// <summary>Number of forward calls captured since the last <see cref="Clear"/>.</summary>
    public int CallCount => _calls.Count;

    private Tensor OnForward(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output)
    {
        if (!Enabled || !is_grad_enabled() || !output.requires_grad)
        {
            return output;
        }
        output.retain_grad();
        _calls.Add((input.detach().DetachFromDisposeScope(), output.alias().DetachFromDisposeScope()));
        return output;
    }

    /// <summary>
    /// After backward: the factors of this step, rows of all calls stacked. Returns null when nothing was captured.
    /// </summary>
    public LayerFactors? TakeFactors()
    {
        if (_calls.Count == 0)
        {
            return null;
        }
        long p = Module.in_features;
        long q = Module.out_features;
        var inputs = new List<Tensor>(_calls.Count);
        var adjoints = new List<Tensor>(_calls.Count);
        var rowSample = new List<int>();
        try
        {
            foreach (var (input, output) in _calls)
            {
                using var grad = output.grad ?? throw new InvalidOperationException(
                    $"Layer '{Name}': no gradient reached its output; call backward() before reading the factors.");
                long samples = input.dim() >= 2 ? input.shape[0] : 1;
                var a = input.reshape(-1, p);
                long rowsPerSample = a.shape[0] / samples;
                inputs.Add(a);
                adjoints.Add(grad.reshape(-1, q));
                for (int s = 0; s < samples; s++)
                {
                    for (long t = 0; t < rowsPerSample; t++)
                    {
                        rowSample.Add(s);
                    }
                }
            }
            var A = inputs.Count == 1 ? inputs[0].contiguous() : cat(inputs, 0);
            var D = adjoints.Count == 1 ? adjoints[0].contiguous() : cat(adjoints, 0);
            return new LayerFactors(Name, "linear", A.DetachFromDisposeScope(), D.DetachFromDisposeScope(), [.. rowSample]);
        }
        finally
        {
            foreach (var t in inputs)
            {
                t.Dispose();
            }
            foreach (var t in adjoints)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Releases the tensors kept from the last forward pass.</summary>
    public void Clear()
    {
        foreach (var (input, output) in _calls)
        {
            input.Dispose();
            output.Dispose();
        }
        _calls.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Clear();
        _unhook();
    }

}
