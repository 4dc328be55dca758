using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// Attaches to the weight layers of a model (all of them, or those named) and hands out, after each backward pass,
/// the gradient factors of every watched layer.
/// </summary>
public sealed class ModelCapture : IDisposable
{
    private readonly List<LinearLayerCapture> _layers = [];

    private ModelCapture()
    {
    }

    /// <summary>The watched layers, in model order.</summary>
    public IReadOnlyList<LinearLayerCapture> Layers => _layers;

    /// <summary>
    /// Watches every Linear layer of <paramref name="model"/>, or only those whose names are listed.
    /// </summary>
    /// <exception cref="InvalidInputException">A listed name is not a Linear layer of the model.</exception>
    public static ModelCapture Attach(nn.Module model, IReadOnlyCollection<string>? layerNames = null)
    {
        // named_modules() leaves out the model itself, which may be a single layer.
        var linears = model.named_modules()
            .Prepend((name: model.GetName(), module: model))
            .Where(m => m.module is Linear)
            .Select(m => (m.name, (Linear)m.module))
            .ToList();
        if (linears.Count == 0)
        {
            throw new InvalidInputException("The model has no Linear layer to introspect.");
        }
        if (layerNames is { Count: > 0 })
        {
            var known = linears.Select(l => l.name).ToHashSet(StringComparer.Ordinal);
            var unknown = layerNames.Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidInputException(
                    $"--layers: unknown layer '{unknown[0]}'; the model's weight layers are: {string.Join(", ", known)}.");
            }
            var wanted = layerNames.ToHashSet(StringComparer.Ordinal);
            linears = linears.Where(l => wanted.Contains(l.name)).ToList();
        }
        var capture = new ModelCapture();
        foreach (var (name, module) in linears)
        {
            capture._layers.Add(new LinearLayerCapture(name, module));
        }
        return capture;
    }

    /// <summary>Turns capture on or off for the next forward pass (off: the hooks return at once).</summary>
    public bool Enabled
    {
        set
        {
            foreach (var l in _layers)
            {
                l.Enabled = value;
            }
        }
    }

    /// <summary>Factors of every watched layer that ran in this step. The caller disposes them.</summary>
    public List<LayerFactors> TakeFactors()
    {
        var result = new List<LayerFactors>(_layers.Count);
        foreach (var l in _layers)
        {
            var f = l.TakeFactors();
            if (f is not null)
            {
                result.Add(f);
            }
        }
        return result;
    }

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
    }
}
