using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AutoSpec.Analyse;

namespace AutoSpec.Report;

/// <summary>
/// What was run, for the top of the report, from the runs' manifests: data, groups and n, labels, model, key
/// configuration, versions and dates. A field a manifest lacks (a caller's own training loop records less) is left out.
/// </summary>
internal static class ReportHeader
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Label and value of each line, in reading order.</summary>
    public static List<(string Label, string Value)> Of(AnalysisResult result)
    {
        var runs = result.Runs.Runs;
        var manifests = runs.Select(r => Read(Path.Combine(r.Directory, "manifest.json"))).ToList();
        var first = manifests.FirstOrDefault(m => m.ValueKind == JsonValueKind.Object);
        var lines = new List<(string, string)>();

        lines.Add(("Runs", $"{Plural.Of(runs.Count, "run")}: {string.Join(", ", runs.Select(r => $"{r.Run} (seed {r.Seed}, fold {r.Fold}{(r.Status == "complete" ? "" : ", " + r.Status)})"))}"));
        if (Text(first, "data.source") is { } source)
        {
            var size = Number(first, "data.samples") is { } samples
                ? $" — {samples} samples" + (Number(first, "data.features") is { } features ? $", {features} features" : "")
                : "";
            lines.Add(("Data", source + size));
        }
        var groups = Counts(first, "data.groups", "group");
        var subjects = SubjectsPerGroup(result);
        if (groups.Count > 0 || subjects.Count > 0)
        {
            var names = groups.Select(g => g.Name).Concat(subjects.Keys).Distinct().ToList();
            string Describe(string g)
            {
                var parts = new List<string>();
                if (groups.Any(x => x.Name == g))
                {
                    parts.Add($"{groups.First(x => x.Name == g).Count} samples");
                }
                if (subjects.TryGetValue(g, out var s))
                {
                    parts.Add($"{s} subjects in the tests");
                }
                return $"{g}: {string.Join(", ", parts)}";
            }
            lines.Add(("Groups (n)", string.Join("; ", names.Select(Describe))
                + $". Compared: {string.Join(" vs ", result.Groups)} (reference first)."));
        }
        var labels = Counts(first, "data.labels", "label");
        if (labels.Count > 0)
        {
            lines.Add(("Labels", string.Join(", ", labels.Select(l => $"{l.Name}: {l.Count}"))));
        }
        var model = new List<string>();
        if (Text(first, "configuration.model.kind") is { } kind)
        {
            model.Add(kind);
        }
        if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Object)
        {
            model.Add("layers " + string.Join(", ", layers.EnumerateObject().Select(p => $"{p.Name} ({p.Value})")));
        }
        if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.Object)
        {
            model.AddRange(description.EnumerateObject().Select(p => $"{p.Name}: {p.Value}"));
        }
        if (model.Count > 0)
        {
            lines.Add(("Model", string.Join("; ", model)));
        }
        var training = new[]
        {
            ("epochs", "configuration.training.epochs"), ("batch size", "configuration.training.batch_size"),
            ("learning rate", "configuration.training.learning_rate"), ("optimiser", "configuration.training.optimizer"),
            ("folds", "configuration.training.folds"), ("quantities", "configuration.introspection.quantities"),
            ("every", "configuration.introspection.every"), ("permutations", "configuration.introspection.permutations"),
            ("permutation metrics", "configuration.introspection.permutation_metric"),
        }.Select(f => (f.Item1, Value: Text(first, f.Item2) ?? Number(first, f.Item2))).Where(f => f.Value is not null).ToList();
        if (training.Count > 0)
        {
            lines.Add(("Configuration", string.Join(", ", training.Select(f => $"{f.Item1} {f.Value}"))));
        }
        var versions = new[] { ("AutoSpec", "versions.autospec"), ("TorchSharp", "versions.torchsharp"), ("libtorch", "versions.libtorch"), (".NET", "versions.dotnet") }
            .Select(v => (v.Item1, Values: manifests.Select(m => Text(m, v.Item2)).Where(x => x is not null).Distinct().ToList()))
            .Where(v => v.Values.Count > 0).Select(v => $"{v.Item1} {string.Join(" / ", v.Values)}").ToList();
        versions.Add("report by AutoSpec " + (typeof(ReportHeader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"));
        lines.Add(("Versions", string.Join(", ", versions)));
        var started = manifests.Select(m => Text(m, "started_utc")).Where(x => x is not null).Select(x => Date(x!)).Where(x => x is not null).ToList();
        var ended = manifests.Select(m => Text(m, "ended_utc")).Where(x => x is not null).Select(x => Date(x!)).Where(x => x is not null).ToList();
        var dates = new List<string>();
        if (started.Count > 0)
        {
            dates.Add("runs started " + started.Min()!.Value.ToString("yyyy-MM-dd HH:mm", C) + " UTC");
        }
        if (ended.Count > 0)
        {
            dates.Add("last ended " + ended.Max()!.Value.ToString("yyyy-MM-dd HH:mm", C) + " UTC");
        }
        dates.Add("report made " + DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", C) + " UTC");
        lines.Add(("Dates", string.Join("; ", dates)));
        return lines;
    }

    /// <summary>Subjects per group whose labels the subject-level tests exchanged (the largest count any test used).</summary>
    private static Dictionary<string, int> SubjectsPerGroup(AnalysisResult result)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in result.Tests)
        {
            counts[t.GroupA] = Math.Max(counts.GetValueOrDefault(t.GroupA), t.SubjectsA);
            counts[t.GroupB] = Math.Max(counts.GetValueOrDefault(t.GroupB), t.SubjectsB);
        }
        return counts.Where(p => p.Value > 0 && p.Key.Length > 0).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static JsonElement Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // The analysis read this manifest moments ago; a run still in progress may be rewriting it: leave its fields out.
            return default;
        }
    }

    private static JsonElement? Find(JsonElement root, string path)
    {
        var e = root;
        foreach (var part in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e))
            {
                return null;
            }
        }
        return e;
    }

    private static string? Text(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.String } e && e.GetString() is { Length: > 0 } s ? s : null;

    private static string? Number(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.Number } e ? e.GetRawText() : null;

    private static List<(string Name, long Count)> Counts(JsonElement root, string path, string key) =>
        Find(root, path) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty(key, out _) && x.TryGetProperty("count", out _))
                .Select(x => (x.GetProperty(key).ToString(), x.GetProperty("count").TryGetInt64(out var n) ? n : 0)).ToList()
            : [];

    private static DateTime? Date(string text) =>
        DateTime.TryParse(text, C, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
