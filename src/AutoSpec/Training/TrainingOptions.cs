namespace AutoSpec.Training;

/// <summary>Optimisation settings of one run.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training split.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Samples per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>adam or sgd.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Momentum of SGD (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Fraction of samples held out for validation, stratified by label.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seed of weight initialisation, split and shuffling. Same seed ⇒ same numbers on CPU.</summary>
    public int Seed { get; init; }

    /// <summary>Fold id written with every row (the split itself is a seeded hold-out).</summary>
    public int Fold { get; init; }

    /// <summary>CPU threads for TorchSharp (0 = its default).</summary>
    public int Threads { get; init; }
}
