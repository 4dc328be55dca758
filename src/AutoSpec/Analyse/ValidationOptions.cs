using AutoSpec.Data;

namespace AutoSpec.Analyse;

/// <summary>Settings of a validation experiment: how many analyses of how many runs, on which synthetic data.</summary>
public sealed record ValidationOptions
{
    /// <summary>Conditions: a planted effect (power) and/or None (false-positive rate).</summary>
    public IReadOnlyList<PlantedEffect> Conditions { get; init; } = [PlantedEffect.MeanShift, PlantedEffect.None];

    /// <summary>Independent analyses per condition.</summary>
    public int Analyses { get; init; } = 20;

    /// <summary>Runs (seeds) per analysis.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Size of the planted effect (ignored for None).</summary>
    public double EffectSize { get; init; } = 1.0;

    /// <summary>Samples of the synthetic data.</summary>
    public int Samples { get; init; } = 600;

    /// <summary>Training epochs per run.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>First seed; analysis a, run r of condition c uses FirstSeed + (c·Analyses + a)·Runs + r.</summary>
    public int FirstSeed { get; init; } = 1000;

    /// <summary>How each analysis tests (defaults: paired t, BH, q = 0.05, one family).</summary>
    public GroupComparisonOptions Analysis { get; init; } = new() { BootstrapResamples = 0 };

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (Conditions.Count == 0)
        {
            throw new InvalidInputException("--conditions: no condition given.");
        }
        if (Analyses < 1)
        {
            throw new InvalidInputException($"--analyses must be at least 1 (got {Analyses}).");
        }
        if (Runs < 2)
        {
            throw new InvalidInputException($"--runs must be at least 2: runs are the replicates (got {Runs}).");
        }
        Analysis.Validate();
    }
}
