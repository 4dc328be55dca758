using AutoSpec.Data;

namespace AutoSpec.Validation;

/// <summary>
/// One condition of a validation experiment: which data, what is planted, how unequal the groups are, and how many
/// runs an analysis pools — shaped like the studies users run (a single run, or several seeds on fixed data).
/// </summary>
/// <param name="Name">Name used on the command line and in the tables.</param>
/// <param name="Effect">Planted effect (None: a null scenario, where every detection is a false positive).</param>
/// <param name="GroupFractions">Shares of groups A and B in the built-in data.</param>
/// <param name="Runs">Runs per analysis.</param>
/// <param name="FixedData">All runs of an analysis train on the same data (seeds differ): the README's --seeds workflow.</param>
/// <param name="Relabelled">The configured data set (validate --config) with group labels drawn at random per subject, real group sizes kept.</param>
internal sealed record ValidationScenario(string Name, PlantedEffect Effect, IReadOnlyList<double> GroupFractions, int Runs,
    bool FixedData = false, bool Relabelled = false)
{
    /// <summary>True for a null scenario (no group difference exists).</summary>
    public bool IsNull => Effect == PlantedEffect.None;

    /// <summary>The built-in scenarios, by name.</summary>
    public static IReadOnlyList<ValidationScenario> BuiltIn { get; } =
    [
        new("null-1:1", PlantedEffect.None, [0.5, 0.5], 1),
        new("null-1:3", PlantedEffect.None, [0.75, 0.25], 1),
        new("null-1:9", PlantedEffect.None, [0.9, 0.1], 1),
        new("null-1:3-seeds", PlantedEffect.None, [0.75, 0.25], 3, FixedData: true),
        new("relabelled", PlantedEffect.None, [], 1, Relabelled: true),
        new("meanshift-1:1", PlantedEffect.MeanShift, [0.5, 0.5], 1),
        new("noise-1:1", PlantedEffect.Noise, [0.5, 0.5], 1),
        new("meanshift-1:3", PlantedEffect.MeanShift, [0.75, 0.25], 1),
        new("meanshift-1:3-seeds", PlantedEffect.MeanShift, [0.75, 0.25], 3, FixedData: true),
    ];

    /// <summary>Scenarios run when none are named (every built-in one that needs no data set).</summary>
    public static IReadOnlyList<string> Default { get; } = BuiltIn.Where(s => !s.Relabelled).Select(s => s.Name).ToList();

    /// <summary>The scenario of a name.</summary>
    /// <exception cref="ArgumentException">No such scenario (<see cref="ArgumentException.ParamName"/> "name").</exception>
    public static ValidationScenario Named(string name) =>
        BuiltIn.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}'; use any of {string.Join(", ", BuiltIn.Select(s => s.Name))}.", nameof(name));
}
