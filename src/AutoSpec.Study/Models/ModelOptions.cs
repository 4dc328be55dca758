namespace AutoSpec.Models;

/// <summary>Which model to train and its sizes (the input and output sizes come from the data).</summary>
public sealed record ModelOptions
{
    /// <summary>
    /// mlp (any sample shape, flattened), cnn1d, lstm, bilstm, gru, transformer (samples of shape components × time
    /// points), or cnn3d (volumes).
    /// </summary>
    public string Kind { get; init; } = "mlp";

    /// <summary>MLP: widths of the hidden layers.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>Activation: relu, tanh, gelu, elu, leaky_relu or sigmoid.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>CNNs: channels of the convolution layers.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32];

    /// <summary>CNNs: kernel size (along each spatial dimension).</summary>
    public int Kernel { get; init; } = 5;

    /// <summary>Recurrent and transformer models: window length in time points.</summary>
    public int Window { get; init; } = 20;

    /// <summary>Recurrent and transformer models: width of the window encoder (tokens).</summary>
    public int Embedding { get; init; } = 64;

    /// <summary>Recurrent models: hidden size.</summary>
    public int RecurrentHidden { get; init; } = 64;

    /// <summary>Recurrent models: stacked layers; transformer: encoder blocks.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Transformer: attention heads (must divide <see cref="Embedding"/>).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Transformer: LayerNorm before each sub-block.</summary>
    public bool NormFirst { get; init; }

    /// <summary>
    /// CNNs: auto (libtorch's convolution when its check on this machine passes, else
    /// <see cref="Layers.UnfoldConvolution"/>), native or unfold (<see cref="ConvolutionChoice"/>).
    /// </summary>
    public string Convolution { get; init; } = "auto";

    /// <summary>Dropout probability (recurrent between layers, transformer blocks).</summary>
    public double Dropout { get; init; }

    /// <summary>Prefix of the parameter names the model code gives: this record's place in a run configuration.</summary>
    public const string ParamPrefix = nameof(RunConfiguration.Model) + ".";

    /// <summary>Checks the sizes.</summary>
    /// <exception cref="ArgumentException">
    /// A size is out of range: <see cref="ArgumentException.ParamName"/> is "Model." and the property's name (e.g.
    /// "Model.Kernel"), and the message begins with it (see <see cref="OptionErrors"/>).
    /// </exception>
    public void Validate()
    {
        if (Channels.Count == 0 || Channels.Any(c => c <= 0))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Channels), $"give one or more positive channel counts (got '{string.Join(",", Channels)}').");
        }
        foreach (var (value, property) in new[] { (Kernel, nameof(Kernel)), (Window, nameof(Window)), (Embedding, nameof(Embedding)),
            (RecurrentHidden, nameof(RecurrentHidden)), (Layers, nameof(Layers)), (Heads, nameof(Heads)) })
        {
            if (value <= 0)
            {
                throw OptionErrors.OutOfRange(ParamPrefix + property, value, $"must be a positive integer (got {value}).");
            }
        }
        if (!ConvolutionChoice.Modes.Contains(Convolution.ToLowerInvariant()))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Convolution), $"unknown value '{Convolution}'; use one of {string.Join(", ", ConvolutionChoice.Modes)}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Dropout), Dropout, $"must be in [0, 1) (got {Dropout}).");
        }
    }
}
