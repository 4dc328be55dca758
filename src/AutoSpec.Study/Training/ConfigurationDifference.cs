using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Record;

namespace AutoSpec.Training;

/// <summary>
/// The settings in which two run configurations differ, as JSON paths (<c>training.learning_rate</c>), ignoring those
/// that cannot change what a run records: where it is written, whether it may overwrite, the thread count, the
/// checkpoint schedule and whether introspection runs on a background thread.
/// </summary>
internal static class ConfigurationDifference
{
    private static readonly string[] Ignored = ["out", "overwrite", "tensorboard", "training.threads", "training.checkpoint", "training.checkpoint_every_steps", "introspection.background"];

    /// <summary>Paths of the differing settings with both values, e.g. <c>training.epochs (recorded 6, given 8)</c>.</summary>
    public static IReadOnlyList<string> Between(JsonNode recorded, RunConfiguration given)
    {
        var differences = new List<string>();
        Compare(recorded, JsonSerializer.SerializeToNode(given, RunManifest.Json), "", differences);
        return differences;
    }

    private static void Compare(JsonNode? a, JsonNode? b, string path, List<string> differences)
    {
        if (Ignored.Contains(path))
        {
            return;
        }
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
            {
                Compare(oa[key], ob[key], path.Length == 0 ? key : $"{path}.{key}", differences);
            }
            return;
        }
        if (!JsonNode.DeepEquals(a, b))
        {
            differences.Add($"{path} (recorded {Text(a)}, given {Text(b)})");
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
