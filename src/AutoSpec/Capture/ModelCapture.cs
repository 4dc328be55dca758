using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// Attaches to the weight layers of a model (all of them, or those named) and hands out, after each backward pass,
/// the gradient factors of every watched layer.
/// </summary>
public sealed class ModelCapture : IDisposable
{
    private readonly List<LayerCapture> _layers = [];
    private readonly List<Action> _guards = [];
    private bool _enabled;
    private readonly Dictionary<LayerCapture, IReadOnlyList<string>> _gates = [];
    private readonly Dictionary<LayerCapture, (LayerCapture Owner, Func<int, int, long[]> OwnerRows)> _sharedAdjoints = [];
    private readonly List<string> _warnings = [];

    private ModelCapture()
    {
    }

    /// <summary>The watched layers, in model order.</summary>
    public IReadOnlyList<LayerCapture> Layers => _layers;

    /// <summary>One line per weight layer left out under <see cref="UnsupportedLayerMode.Warn"/>.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Watches every supported weight layer of <paramref name="model"/> (see <see cref="LayerRegistry"/>), or only
    /// those whose names are listed.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A name in <paramref name="layerNames"/> is not a supported weight layer of the model (the message names the
    /// model's weight layers; <see cref="ArgumentException.ParamName"/> is "layerNames").
    /// </exception>
    /// <exception cref="InvalidInputException">
    /// With <see cref="UnsupportedLayerMode.Error"/>, the model holds a weight layer AutoSpec cannot factor (named,
    /// with the supported types).
    /// </exception>
    /// <param name="model">The model.</param>
    /// <param name="layerNames">Layers to watch (null or empty = all supported).</param>
    /// <param name="splitGates">Also record each gate block of recurrent layers as its own layer (NAME:gate).</param>
    /// <param name="unsupported">What to do with a weight layer no adapter can factor.</param>
    /// <param name="registry">The adapters to use (null = <see cref="LayerRegistry.Default"/>).</param>
    public static ModelCapture Attach(nn.Module model, IReadOnlyCollection<string>? layerNames = null, bool splitGates = false,
        UnsupportedLayerMode unsupported = UnsupportedLayerMode.Error, LayerRegistry? registry = null)
    {
        registry ??= LayerRegistry.Default;
        var capture = new ModelCapture();
        // named_modules() leaves out the model itself, which may be a single layer.
        var modules = model.named_modules().Prepend((name: model.GetName(), module: model)).ToList();
        var supported = new List<(string Name, nn.Module<Tensor, Tensor> Module, ILayerAdapter Adapter)>();
        var left = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, module) in modules)
        {
            if (registry.Find(module) is { } adapter && module is nn.Module<Tensor, Tensor> typed)
            {
                adapter.Validate(name, module);
                supported.Add((name, typed, adapter));
            }
            else if (!registry.IsPassThrough(module) && module.named_parameters(recurse: false).Any())
            {
                var what = $"Layer '{name}' ({module.GetType().Name}) carries weights AutoSpec cannot factor";
                switch (unsupported)
                {
                    case UnsupportedLayerMode.Error:
                        throw new InvalidInputException(
                            $"{what} (native recurrent and attention layers run as one opaque op); supported: {registry.Supported}.");
                    case UnsupportedLayerMode.Warn:
                        capture._warnings.Add($"{what}; it is not introspected.");
                        break;
                }
                left.Add(name);
            }
        }
        if (supported.Count == 0)
        {
            throw new InvalidInputException($"The model has no weight layer to introspect; supported: {registry.Supported}.");
        }
        if (layerNames is { Count: > 0 })
        {
            var known = supported.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = layerNames.Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                var why = left.Contains(unknown[0]) ? "a layer AutoSpec cannot factor" : "unknown layer";
                throw new ArgumentException($"{why} '{unknown[0]}'; the model's weight layers are: {string.Join(", ", known)}.", nameof(layerNames));
            }
            var wanted = layerNames.ToHashSet(StringComparer.Ordinal);
            supported = supported.Where(l => wanted.Contains(l.Name)).ToList();
        }
        var gated = new Dictionary<nn.Module, IReadOnlyList<string>>(ReferenceEqualityComparer.Instance);
        if (splitGates)
        {
            foreach (var (layer, gates) in modules.Select(m => m.module).OfType<IGatedLayers>().SelectMany(g => g.GatedLayers))
            {
                gated[layer] = gates;
            }
        }
        foreach (var (name, module, adapter) in supported)
        {
            var layer = new LayerCapture(name, module, adapter);
            capture._layers.Add(layer);
            if (gated.TryGetValue(module, out var gates))
            {
                capture._gates[layer] = gates;
            }
        }
        foreach (var sharing in modules.Select(m => m.module).OfType<ISharedAdjointLayers>().SelectMany(s => s.SharedAdjoints))
        {
            int owner = capture._layers.FindIndex(l => ReferenceEquals(l.Module, sharing.Owner));
            int sharer = capture._layers.FindIndex(l => ReferenceEquals(l.Module, sharing.Sharer));
            // The spectra take the owner's Δ results when they reach the sharer: the owner must come first.
            if (owner >= 0 && sharer > owner)
            {
                capture._sharedAdjoints[capture._layers[sharer]] = (capture._layers[owner], sharing.OwnerRows);
            }
        }
        foreach (var (name, module) in modules.Where(m => LayerRegistry.IsBatchNorm(m.module)))
        {
            capture._guards.Add(BatchNormGuard(capture, name, (nn.Module<Tensor, Tensor>)module));
        }
        return capture;
    }

    /// <summary>
    /// BatchNorm in training mode normalises each sample by statistics of the whole batch, so a row's gradient no
    /// longer depends on its own sample alone and the group split loses its meaning. Refused while recording.
    /// </summary>
    private static Action BatchNormGuard(ModelCapture capture, string name, nn.Module<Tensor, Tensor> module)
    {
        var remover = module.register_forward_pre_hook((m, input) =>
        {
            if (capture._enabled && m.training && is_grad_enabled())
            {
                throw new InvalidInputException(
                    $"Layer '{name}' is BatchNorm in training mode: it mixes the samples of a batch, so per-group gradients are not separable; use LayerNorm or GroupNorm (or put the layer in eval mode).");
            }
            return input;
        });
        return remover.remove;
    }

    /// <summary>Turns capture on or off for the next forward pass (off: the hooks return at once).</summary>
    public bool Enabled
    {
        set
        {
            _enabled = value;
            foreach (var l in _layers)
            {
                l.Enabled = value;
            }
        }
    }

    /// <summary>Factors of every watched layer that ran in this step. The caller disposes them.</summary>
    /// <param name="batchSamples">Samples in the step's batch, when known (see <see cref="LayerCapture.TakeFactors"/>).</param>
    public List<LayerFactors> TakeFactors(int? batchSamples = null)
    {
        var result = new List<LayerFactors>(_layers.Count);
        var taken = new Dictionary<LayerCapture, (LayerFactors Layer, List<LayerFactors> Gates)>();
        foreach (var l in _layers)
        {
            var f = l.TakeFactors(batchSamples);
            if (f is null)
            {
                continue;
            }
            result.Add(f);
            var gateFactors = new List<LayerFactors>();
            if (_gates.TryGetValue(l, out var gates))
            {
                long block = f.Q / gates.Count;
                for (int g = 0; g < gates.Count; g++)
                {
                    using var columns = f.Adjoints.narrow(1, g * block, block);
                    gateFactors.Add(new LayerFactors($"{f.Layer}:{gates[g]}", "gate", f.Inputs.alias().DetachFromDisposeScope(),
                        columns.contiguous().DetachFromDisposeScope(), f.RowSample));
                }
                result.AddRange(gateFactors);
            }
            taken[l] = (f, gateFactors);
            if (_sharedAdjoints.TryGetValue(l, out var sharing) && taken.TryGetValue(sharing.Owner, out var owner))
            {
                DeclareSharedAdjoints(owner, (f, gateFactors), sharing.OwnerRows);
            }
        }
        return result;
    }

    /// <summary>
    /// Declares that the sharer's Δ (and each gate block's) holds the owner's rows, when the row map the module
    /// gives is a permutation that keeps every row with its sample; otherwise nothing is declared (the spectra are
    /// then computed for each layer on its own, as for any layer).
    /// </summary>
    private static void DeclareSharedAdjoints((LayerFactors Layer, List<LayerFactors> Gates) owner,
        (LayerFactors Layer, List<LayerFactors> Gates) sharer, Func<int, int, long[]> ownerRows)
    {
        var (o, s) = (owner.Layer, sharer.Layer);
        if (o.Rows == 0 || o.Rows != s.Rows || o.Q != s.Q)
        {
            return;
        }
        int samples = o.RowSample.Max() + 1;
        if (o.Rows % samples != 0)
        {
            return;
        }
        var map = ownerRows(samples, o.Rows / samples);
        if (map.Length != s.Rows)
        {
            return;
        }
        var seen = new bool[o.Rows];
        for (int r = 0; r < map.Length; r++)
        {
            long m = map[r];
            if ((ulong)m >= (ulong)o.Rows || seen[m] || o.RowSample[m] != s.RowSample[r])
            {
                return;
            }
            seen[m] = true;
        }
        s.DeclareSharedAdjoints(o.Layer, map);
        // A gate's Δ is a column block of its layer's, so the same rows map gate to gate.
        foreach (var gate in sharer.Gates)
        {
            var name = o.Layer + gate.Layer[s.Layer.Length..];
            if (owner.Gates.FirstOrDefault(g => g.Layer == name) is { } ownerGate)
            {
                gate.DeclareSharedAdjoints(ownerGate.Layer, map);
            }
        }
    }

    /// <summary>Whether some watched layer ran forward in this step without its backward pass.</summary>
    internal bool AwaitsBackward => _layers.Any(l => l.AwaitsBackward);

    /// <summary>Releases what the last forward pass kept.</summary>
    public void Clear()
    {
        foreach (var l in _layers)
        {
            l.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var l in _layers)
        {
            l.Dispose();
        }
        _layers.Clear();
        foreach (var unhook in _guards)
        {
            unhook();
        }
        _guards.Clear();
    }
}
