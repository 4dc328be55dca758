namespace AutoSpec.Introspection;

/// <summary>What an <see cref="IntrospectionProbe"/> records, as its sinks are told at the start.</summary>
/// <param name="Options">The schedule, quantities, routes and tests.</param>
/// <param name="Layers">Watched layers: name → "kind q×p".</param>
/// <param name="Groups">Group names, in the order of the group indices given to <see cref="IntrospectionProbe.Step"/>.</param>
/// <param name="BackgroundThreads">Torch threads of the background thread (0: introspection runs in the training thread).</param>
public sealed record ProbeDescription(IntrospectionOptions Options, IReadOnlyDictionary<string, string> Layers,
    IReadOnlyList<string> Groups, int BackgroundThreads)
{
    /// <summary>What the probe could not watch and left out (see <see cref="IntrospectionOptions.UnsupportedLayers"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Threads that computed spectra at once (1: the background thread, or the training thread without one).</summary>
    public int SpectraWorkers { get; init; } = 1;

    /// <summary>Whether the training thread also computed spectra while it waited for the background thread.</summary>
    public bool TrainingThreadHelps { get; init; }
}
