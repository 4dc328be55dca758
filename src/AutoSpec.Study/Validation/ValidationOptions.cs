using AutoSpec.Analyse;

namespace AutoSpec.Validation;

/// <summary>Settings of a validation experiment: which scenarios, how many analyses each, on what data.</summary>
internal sealed record ValidationOptions
{
    /// <summary>Scenarios (see <see cref="ValidationScenario.BuiltIn"/>).</summary>
    public IReadOnlyList<ValidationScenario> Scenarios { get; init; } = ValidationScenario.Default.Select(ValidationScenario.Named).ToList();

    /// <summary>Independent analyses per scenario.</summary>
    public int Analyses { get; init; } = 20;

    /// <summary>Size of the planted effect (ignored in null scenarios).</summary>
    public double EffectSize { get; init; } = 1.0;

    /// <summary>Samples of the built-in data.</summary>
    public int Samples { get; init; } = 1200;

    /// <summary>Training epochs per run (built-in data).</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Mini-batch size (built-in data).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Relabellings of every subject-level test.</summary>
    public int Permutations { get; init; } = 1000;

    /// <summary>First seed; analysis a of scenario s uses seeds from FirstSeed + 10·(s·Analyses + a).</summary>
    public int FirstSeed { get; init; } = 1000;

    /// <summary>
    /// Run configuration of the relabelled scenario (its data source, model and training); null when no such
    /// scenario is run.
    /// </summary>
    public RunConfiguration? Study { get; init; }

    /// <summary>How each analysis tests (the analyze defaults: BH, q = 0.05, one family).</summary>
    public GroupComparisonOptions Analysis { get; init; } = new();

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (Scenarios.Count == 0)
        {
            throw new InvalidInputException("--scenarios: no scenario given.");
        }
        if (Analyses < 1)
        {
            throw new InvalidInputException($"--analyses must be at least 1 (got {Analyses}).");
        }
        if (Permutations < 1)
        {
            throw new InvalidInputException($"--permutations must be at least 1 (got {Permutations}).");
        }
        if (Scenarios.Any(s => s.Relabelled) && Study?.Data.Source is null)
        {
            throw new InvalidInputException("--scenarios relabelled needs a data set: pass --config with a run configuration whose data names a file (e.g. a run's manifest.json).");
        }
        Analysis.Validate();
    }
}
