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

    /// <summary>
    /// Number of cross-validation folds: subjects are split into this many stratified folds and fold
    /// <see cref="Fold"/> is held out for validation (all samples of a subject stay on one side).
    /// </summary>
    public int Folds { get; init; } = 5;

    /// <summary>Stratify the folds by (label, group) instead of label only.</summary>
    public bool StratifyByGroup { get; init; }

    /// <summary>Seed of weight initialisation, split and shuffling. Same seed ⇒ same numbers on CPU.</summary>
    public int Seed { get; init; }

    /// <summary>The fold held out for validation (0-based), written with every row.</summary>
    public int Fold { get; init; }

    /// <summary>CPU threads for TorchSharp (0 = its default).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Write a checkpoint (model, optimiser, random states, position, recorder position) into the run folder so that a
    /// killed run can resume from it (see docs/SWEEPS.md). Default true.
    /// </summary>
    public bool Checkpoint { get; init; } = true;

    /// <summary>
    /// Besides the end of every epoch, also checkpoint every this many steps (0 = at epoch ends only). Each such
    /// checkpoint flushes the recorder, so the part files are smaller; the recorded values do not change.
    /// </summary>
    public int CheckpointEverySteps { get; init; }
}
