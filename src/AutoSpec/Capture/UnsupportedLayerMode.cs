namespace AutoSpec.Capture;

/// <summary>
/// What <see cref="ModelCapture.Attach"/> does with a layer that carries its own weights but that no adapter of the
/// <see cref="LayerRegistry"/> can factor (and that is not a pass-through layer such as a normalisation).
/// </summary>
public enum UnsupportedLayerMode
{
    /// <summary>Refuse the model, naming the layer and the supported types (the default).</summary>
    Error,

    /// <summary>Leave the layer out and say so in <see cref="ModelCapture.Warnings"/>.</summary>
    Warn,

    /// <summary>Leave the layer out silently.</summary>
    Skip,
}
