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

    /// <summary>Prefix of the parameter names <see cref="Validate"/> gives.</summary>
    public const string ParamPrefix = nameof(ValidationOptions) + ".";

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">
    /// An option is empty or out of range: <see cref="ArgumentException.ParamName"/> is "ValidationOptions." and the
    /// property's name (e.g. "ValidationOptions.Analyses"; "GroupComparisonOptions." for <see cref="Analysis"/>), and
    /// the message begins with it (see <see cref="OptionErrors"/>).
    /// </exception>
    public void Validate()
    {
        if (Scenarios.Count == 0)
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Scenarios), "no scenario given.");
        }
        if (Analyses < 1)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Analyses), Analyses, $"must be at least 1 (got {Analyses}).");
        }
        if (Permutations < 1)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(Permutations), Permutations, $"must be at least 1 (got {Permutations}).");
        }
        if (Scenarios.Any(s => s.Relabelled) && Study?.Data.Source is null)
        {
            throw new ArgumentException(
                $"{ParamPrefix}{nameof(Scenarios)} relabelled needs a data set: give {ParamPrefix}{nameof(Study)}, a run configuration whose data names a file (e.g. a run's manifest.json).",
                ParamPrefix + nameof(Scenarios));
        }
        Analysis.Validate();
    }
}
