using System.Text.Json.Nodes;

namespace AutoSpec.Sweeps;

/// <summary>One run of a sweep plan.</summary>
/// <param name="Index">0-based position in the plan (the SLURM array task index).</param>
/// <param name="Id">Stable id: derived from the axis values alone, so it names the same run in every plan.</param>
/// <param name="Assignments">Axis path → value of this run, in axis order.</param>
/// <param name="Configuration">The base configuration with the assignments applied.</param>
internal sealed record SweepRun(int Index, string Id, IReadOnlyList<KeyValuePair<string, JsonNode?>> Assignments,
    RunConfiguration Configuration);
