using AutoSpec.Capture.Adapters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Capture;

/// <summary>
/// The layer types AutoSpec can factor, and the weight-carrying layers it lets pass untouched: built in are Linear,
/// Conv1d/2d/3d and every module that implements <see cref="IFactoredLayer"/>; users add adapters for their own
/// module types with <see cref="Register"/>. Modules built from supported parts (AutoSpec.Layers' recurrent and
/// attention blocks) need nothing: their parts are found as submodules.
/// </summary>
/// <remarks>
/// Registered adapters are asked before the built-in ones, the latest first, so a registration can also replace
/// how a built-in type is factored. Registration is thread-safe; a capture sees the registrations made before it
/// attached.
/// </remarks>
public sealed class LayerRegistry
{
    private static readonly ILayerAdapter[] BuiltIn = [new LinearAdapter(), new ConvolutionAdapter(), new FactoredLayerAdapter()];

    private const string BuiltInList = "Linear, Conv1d, Conv2d, Conv3d, modules implementing IFactoredLayer (AutoSpec.Layers' UnfoldConvolution), " +
        "and modules built from these (AutoSpec.Layers' LSTM, GRU, RNN, MultiheadSelfAttention and TransformerEncoderBlock)";

    private readonly Lock _lock = new();
    private ILayerAdapter[] _registered = [];
    private Type[] _passThrough = [];

    /// <summary>The registry <see cref="ModelCapture.Attach"/> uses when given none: register here to extend every capture.</summary>
    public static LayerRegistry Default { get; } = new();

    /// <summary>Adds an adapter, asked before those registered earlier and before the built-in ones.</summary>
    /// <returns>This registry, for chaining.</returns>
    public LayerRegistry Register(ILayerAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        lock (_lock)
        {
            _registered = [adapter, .. _registered];
        }
        return this;
    }

    /// <summary>
    /// Lets modules of type <typeparamref name="TModule"/> (and derived types) carry weights without being factored,
    /// like the built-in normalisations: their weights are element-wise scales or look-up tables, not products with
    /// the input.
    /// </summary>
    /// <returns>This registry, for chaining.</returns>
    public LayerRegistry RegisterPassThrough<TModule>() where TModule : nn.Module
    {
        lock (_lock)
        {
            _passThrough = [.. _passThrough, typeof(TModule)];
        }
        return this;
    }

    /// <summary>The adapter of a module, or null when it has none.</summary>
    public ILayerAdapter? Find(nn.Module module) =>
        Volatile.Read(ref _registered).FirstOrDefault(a => a.Handles(module)) ?? BuiltIn.FirstOrDefault(a => a.Handles(module));

    /// <summary>
    /// Layers whose weights are element-wise scales or look-up tables rather than products with the input
    /// (normalisations, PReLU, Embedding, and registered pass-through types): not introspected, allowed in a model.
    /// </summary>
    public bool IsPassThrough(nn.Module module) => module is LayerNorm or GroupNorm or PReLU or Embedding
        or InstanceNorm1d or InstanceNorm2d or InstanceNorm3d || IsBatchNorm(module)
        || Volatile.Read(ref _passThrough).Any(t => t.IsInstanceOfType(module));

    /// <summary>The supported layer types, for messages.</summary>
    public string Supported
    {
        get
        {
            var registered = Volatile.Read(ref _registered);
            return registered.Length == 0
                ? BuiltInList
                : $"{BuiltInList}, and the registered adapters {string.Join(", ", registered.Select(a => a.GetType().Name))}";
        }
    }

    /// <summary>BatchNorm mixes the samples of a batch in training mode.</summary>
    internal static bool IsBatchNorm(nn.Module module) => module is BatchNorm1d or BatchNorm2d or BatchNorm3d;
}
