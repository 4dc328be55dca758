using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// Watches one weight layer during ordinary training: its forward hook keeps the layer input and marks the output
/// so that backward retains its gradient (Δ). No extra forward or backward pass is made.
/// </summary>
/// <remarks>
/// Kept tensors are detached from any dispose scope and owned here (nn.Sequential disposes intermediates, and the
/// caller's step scope must not take them away before the spectra are computed); <see cref="Clear"/> releases them.
/// A layer called several times in one forward pass (shared weights, recurrent steps) contributes the rows of every
/// call, stacked: the weight gradient is the sum over calls, which is again one product Aᵀ Δ.
/// </remarks>
public sealed class LayerCapture : IDisposable
{
    private readonly List<(Tensor Input, Tensor Output)> _calls = [];
    private readonly Action _unhook;

    internal LayerCapture(string name, nn.Module<Tensor, Tensor> module, ILayerAdapter adapter)
    {
        Name = name;
        Module = module;
        Adapter = adapter;
        Kind = adapter.Kind(module);
        var w = adapter.Weight(module);
        Q = w.shape[0];
        P = w.numel() / Q;
        var remover = adapter.Observed(module).register_forward_hook(OnForward);
        _unhook = remover.remove;
    }

    /// <summary>Layer name as in the model's named_modules.</summary>
    public string Name { get; }

    /// <summary>The watched layer.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>How the layer maps to its factors.</summary>
    public ILayerAdapter Adapter { get; }

    /// <summary>Layer kind for the output tables.</summary>
    public string Kind { get; }

    /// <summary>Columns of A (fan-in, C_in·kernel for convolutions).</summary>
    public long P { get; }

    /// <summary>Columns of Δ (fan-out).</summary>
    public long Q { get; }

    /// <summary>When false the hook does nothing (steps that are not recorded cost nothing).</summary>
    public bool Enabled { get; set; }

    /// <summary>The weight as a detached q×p matrix (a new handle the caller disposes).</summary>
    public Tensor WeightMatrix()
    {
        using var detached = Adapter.Weight(Module).detach();
        return detached.reshape(Q, P);
    }

    /// <summary>The weight's gradient as a q×p matrix (a new handle the caller disposes), or null before backward.</summary>
    public Tensor? WeightGradMatrix()
    {
        using var grad = Adapter.Weight(Module).grad;
        return grad?.reshape(Q, P);
    }

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
    /// <param name="batchSamples">
    /// Samples in the step's batch, when known: every call must then see the batch along its first dimension
    /// (a sequence-first input would silently mix the samples of the rows).
    /// </param>
    /// <exception cref="InvalidInputException">The rows cannot be mapped to the batch's samples.</exception>
    public LayerFactors? TakeFactors(int? batchSamples = null)
    {
        if (_calls.Count == 0)
        {
            return null;
        }
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor>(_calls.Count);
        var adjoints = new List<Tensor>(_calls.Count);
        var rowSample = new List<int>();
        foreach (var (input, output) in _calls)
        {
            var grad = output.grad ?? throw new InvalidOperationException(
                $"Layer '{Name}': no gradient reached its output; call backward() before reading the factors.");
            var (a, d) = Adapter.Factors(Module, input, grad);
            long samples = input.dim() >= 2 ? input.shape[0] : 1;
            long rows = a.shape[0];
            if (batchSamples is int n && samples != n)
            {
                throw new InvalidInputException(
                    $"Layer '{Name}': its input has shape [{string.Join(", ", input.shape)}] but the batch has {n} samples; AutoSpec needs the batch as the first dimension (batch-first) to map rows to samples.");
            }
            if (rows % samples != 0 || d.shape[0] != rows)
            {
                throw new InvalidInputException(
                    $"Layer '{Name}': cannot map its {rows} rows to the {samples} samples of the batch (input shape [{string.Join(", ", input.shape)}]); the batch must be the first dimension.");
            }
            long rowsPerSample = rows / samples;
            inputs.Add(a);
            adjoints.Add(d);
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
        return new LayerFactors(Name, Kind, A.DetachFromDisposeScope(), D.DetachFromDisposeScope(), [.. rowSample]);
    }

    /// <summary>Whether a forward pass was captured whose backward pass has not reached this layer (yet).</summary>
    internal bool AwaitsBackward
    {
        get
        {
            foreach (var (_, output) in _calls)
            {
                using var grad = output.grad;
                if (grad is null)
                {
                    return true;
                }
            }
            return false;
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
