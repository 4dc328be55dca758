namespace AutoSpec.Layers;

/// <summary>The cell of a <see cref="RecurrentNetwork"/>, with PyTorch's gate layout.</summary>
public enum RecurrentKind
{
    /// <summary>LSTM: gates i, f, g, o (4·H rows of each weight).</summary>
    Lstm,

    /// <summary>GRU: gates r, z, n (3·H rows); the hidden-side n gate is scaled by r after its bias.</summary>
    Gru,

    /// <summary>Elman RNN with tanh.</summary>
    RnnTanh,

    /// <summary>Elman RNN with ReLU.</summary>
    RnnRelu,
}

/// <summary>Facts about each recurrent kind.</summary>
public static class RecurrentKinds
{
    /// <summary>Number of gate blocks stacked in the weights.</summary>
    public static int Gates(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>Gate names in weight order (for per-gate spectra).</summary>
    public static IReadOnlyList<string> GateNames(this RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => ["i", "f", "g", "o"],
        RecurrentKind.Gru => ["r", "z", "n"],
        _ => ["h"],
    };
}
