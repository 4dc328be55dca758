using System.Text.Json;
using AutoSpec.Record;

namespace AutoSpec.Report;

/// <summary>A run's validation accuracy and AUC per group after the last epoch (the manifest's <c>validation_by_group</c>).</summary>
internal static class RunScores
{
    /// <summary>The run's scores per group; empty when the manifest has none (a caller's own loop, an older run) or cannot be read.</summary>
    public static IReadOnlyList<GroupScore> ValidationByGroup(string runDirectory)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(runDirectory, "manifest.json")), RunManifest.Json);
            return manifest?.ValidationByGroup ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            // A run in progress may be rewriting its manifest: the table is then left out, not the report.
            return [];
        }
    }
}
