using System.Text.Json;
using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// The run folders of one analysis, checked: each has a manifest and a metrics table; incomplete runs are skipped
/// (and named) unless asked for; all runs share one configuration apart from the keys that identify a replicate; no
/// two runs are the same replicate (same seed and fold would be the same numbers counted twice).
/// </summary>
public sealed class RunSet
{
    /// <summary>
    /// Configuration keys that may differ between replicates of one experiment (paths in snake_case, dotted).
    /// </summary>
    public static readonly IReadOnlySet<string> ReplicateKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "out", "overwrite", "run_id", "tensorboard", "training.seed", "training.fold", "training.threads", "data.synthetic.seed",
        "introspection.dump_steps", "introspection.flush_rows", "introspection.route", "introspection.background",
        "training.checkpoint", "training.checkpoint_every_steps",
    };

    private RunSet(IReadOnlyList<RunData> runs, IReadOnlyList<string> skipped)
    {
        Runs = runs;
        Skipped = skipped;
    }

    /// <summary>The runs analysed.</summary>
    public IReadOnlyList<RunData> Runs { get; }

    /// <summary>One line per run folder left out, saying which and why.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Reads and checks the run folders; throws <see cref="InvalidInputException"/> naming the problem.</summary>
    public static RunSet Load(IReadOnlyList<string> directories, bool includeIncomplete)
    {
        if (directories.Count == 0)
        {
            throw new InvalidInputException("no run folder given.");
        }
        var runs = new List<RunData>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var requested in directories)
        {
            var directory = Path.GetFullPath(requested);
            if (!seen.Add(directory))
            {
                throw new InvalidInputException($"run folder '{requested}' is given twice.");
            }
            var run = Read(directory, requested, includeIncomplete, skipped);
            if (run is not null)
            {
                runs.Add(run);
            }
        }
        if (runs.Count == 0)
        {
            throw new InvalidInputException("no complete run to analyse: " + string.Join("; ", skipped) +
                " (--include-incomplete analyses the rows they flushed).");
        }
        CheckSameConfiguration(runs);
        CheckDistinctReplicates(runs);
        var sameId = runs.GroupBy(r => r.Run, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (sameId is not null)
        {
            var names = sameId.Select(r => $"'{r.Directory}'").ToList();
            throw new InvalidInputException(
                $"runs {names[0]} and {names[1]} have the same run id '{sameId.Key}'; results are labelled by run id, so give them distinct ones (--run-id).");
        }
        return new RunSet(runs, skipped);
    }

    private static RunData? Read(string directory, string requested, bool includeIncomplete, List<string> skipped)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new InvalidInputException($"run folder '{requested}' does not exist.");
        }
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new InvalidInputException($"'{requested}' is not a run folder: it has no manifest.json.");
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{manifestPath}: not valid JSON ({e.Message.Split('.')[0]}).");
        }
        string status = Text(root, "status", manifestPath);
        string run = Text(root, "run", manifestPath);
        if (!root.TryGetProperty("configuration", out var configuration) || configuration.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException($"{manifestPath}: no 'configuration' object.");
        }
        if (status != "complete" && !includeIncomplete)
        {
            skipped.Add($"'{requested}' has status '{status}', not complete");
            return null;
        }
        if (status == "complete")
        {
            // A run killed between "complete" and its clean-up: its parts duplicate the merged tables.
            RunFiles.FinishCompleted(directory);
        }
        var metricsFiles = RunTable.Files(directory, RunTable.Metrics);
        if (metricsFiles.Count == 0)
        {
            if (status != "complete")
            {
                skipped.Add($"'{requested}' has status '{status}' and no metrics rows flushed yet");
                return null;
            }
            throw new InvalidInputException($"run folder '{requested}' is complete but has no metrics.parquet.");
        }
        var curvesFiles = RunTable.Files(directory, RunTable.Curves);
        try
        {
            return new RunData
            {
                Directory = directory,
                Run = run,
                Seed = root.TryGetProperty("seed", out var seed) ? seed.GetInt32() : 0,
                Fold = root.TryGetProperty("fold", out var fold) ? fold.GetInt32() : 0,
                Status = status,
                Configuration = configuration,
                Metrics = ParquetTableReader.ReadAsync(metricsFiles).GetAwaiter().GetResult(),
                Curves = curvesFiles.Count > 0
                    ? ParquetTableReader.ReadAsync(curvesFiles).GetAwaiter().GetResult()
                    : new Dictionary<string, Array>(),
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidInputException($"run folder '{requested}': cannot read its tables: {e.Message}");
        }
    }

    private static string Text(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidInputException($"{path}: no '{name}' text.");

    private static void CheckSameConfiguration(List<RunData> runs)
    {
        var reference = Flatten(runs[0].Configuration);
        foreach (var other in runs.Skip(1))
        {
            var values = Flatten(other.Configuration);
            var differing = reference.Keys.Union(values.Keys)
                .Where(k => !ReplicateKeys.Contains(k))
                .Where(k => reference.GetValueOrDefault(k) != values.GetValueOrDefault(k))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (differing.Count > 0)
            {
                var shown = differing.Take(6).Select(k =>
                    $"{k} ({reference.GetValueOrDefault(k) ?? "absent"} vs {values.GetValueOrDefault(k) ?? "absent"})");
                throw new InvalidInputException(
                    $"runs '{runs[0].Directory}' and '{other.Directory}' have different configurations: " +
                    string.Join(", ", shown) + (differing.Count > 6 ? $" and {differing.Count - 6} more" : "") +
                    "; between replicates only seed, fold, out, run_id and settings that leave the numbers alone (threads, route, background thread, checkpoints, dumps, flush size) may differ.");
            }
        }
    }

    private static void CheckDistinctReplicates(List<RunData> runs)
    {
        var twin = runs.GroupBy(r => (r.Seed, r.Fold)).FirstOrDefault(g => g.Count() > 1);
        if (twin is not null)
        {
            var names = twin.Select(r => $"'{r.Directory}'").ToList();
            throw new InvalidInputException(
                $"runs {names[0]} and {names[1]} have the same seed {twin.Key.Seed} and fold {twin.Key.Fold}: " +
                "they are one replicate counted twice.");
        }
    }

    /// <summary>Leaf values of a JSON object by dotted path; arrays are compared as their JSON text.</summary>
    internal static Dictionary<string, string> Flatten(JsonElement element)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name);
                }
            }
            else
            {
                // Compact re-serialisation: the same array written indented or not compares equal.
                result[path] = JsonSerializer.Serialize(e);
            }
        }
        Walk(element, "");
        return result;
    }
}
