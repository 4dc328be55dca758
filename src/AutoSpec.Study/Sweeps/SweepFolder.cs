using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Record;

namespace AutoSpec.Sweeps;

/// <summary>
/// The folder of a sweep:
/// <code>
/// sweep.json          the specification, its fingerprint and the plan (index, id, axis values of every run)
/// configs/ID.json     the configuration of each run (what `autospec run --config` takes)
/// runs/ID/            one ordinary run folder per run (manifest.json, spectra/metrics/curves.parquet)
/// locks/ID.lock       held (flock) by the process running ID, so no two processes write one run
/// logs/ID.log         output of the process that ran ID (local execution)
/// </code>
/// </summary>
internal static class SweepFolder
{
    /// <summary>Name of the file that records the specification inside a sweep folder.</summary>
    public const string SpecificationFile = "sweep.json";

    /// <summary>The folder of run <paramref name="id"/>.</summary>
    public static string RunDirectory(string sweepDirectory, string id) => Path.Combine(sweepDirectory, "runs", id);

    /// <summary>The configuration file of run <paramref name="id"/>.</summary>
    public static string ConfigPath(string sweepDirectory, string id) => Path.Combine(sweepDirectory, "configs", id + ".json");

    /// <summary>The lock file of run <paramref name="id"/>.</summary>
    public static string LockPath(string sweepDirectory, string id) => Path.Combine(sweepDirectory, "locks", id + ".lock");

    /// <summary>The log file of run <paramref name="id"/>.</summary>
    public static string LogPath(string sweepDirectory, string id) => Path.Combine(sweepDirectory, "logs", id + ".log");

    /// <summary>
    /// Creates the sweep folder for <paramref name="spec"/>, or checks that an existing one was made by the same
    /// specification (same fingerprint). A folder of another specification is refused unless
    /// <paramref name="force"/>; then it adopts the new one, and runs whose configuration changed are redone.
    /// Writes sweep.json and every run's configuration (atomically).
    /// </summary>
    public static IReadOnlyList<SweepRun> Prepare(SweepSpecification spec, bool force)
    {
        var plan = spec.Plan();
        var dir = spec.OutDirectory;
        var marker = Path.Combine(dir, SpecificationFile);
        try
        {
            if (File.Exists(dir))
            {
                throw new InvalidInputException($"sweep folder '{dir}' is a file.");
            }
            if (File.Exists(marker))
            {
                var existing = ReadFingerprint(marker);
                if (existing == spec.Fingerprint && !force)
                {
                    return plan;
                }
                if (existing != spec.Fingerprint && !force)
                {
                    throw new InvalidInputException(
                        $"sweep folder '{dir}' was made by another specification (its {SpecificationFile} differs from " +
                        $"'{spec.Source}'); use another folder (\"out\" or --out) or pass --force to adopt this one.");
                }
            }
            else if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                throw new InvalidInputException($"sweep folder '{dir}' is not empty and holds no {SpecificationFile}; choose another.");
            }
            Directory.CreateDirectory(Path.Combine(dir, "configs"));
            Directory.CreateDirectory(Path.Combine(dir, "runs"));
            Directory.CreateDirectory(Path.Combine(dir, "logs"));
            Directory.CreateDirectory(Path.Combine(dir, "locks"));
            foreach (var run in plan)
            {
                WriteText(ConfigPath(dir, run.Id), JsonSerializer.Serialize(run.Configuration, RunManifest.Json));
            }
            var record = new JsonObject
            {
                ["fingerprint"] = spec.Fingerprint,
                ["source"] = spec.Source,
                ["specification"] = JsonNode.Parse(spec.Text, documentOptions: new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                }),
                ["runs"] = new JsonArray([.. plan.Select(r => (JsonNode)new JsonObject
                {
                    ["index"] = r.Index,
                    ["id"] = r.Id,
                    ["values"] = new JsonObject([.. r.Assignments.Select(a => KeyValuePair.Create(a.Key, a.Value?.DeepClone()))]),
                })]),
            };
            // The marker is written last: a folder with sweep.json always has every configuration.
            WriteText(marker, record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return plan;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write sweep folder '{dir}': {e.Message}");
        }
    }

    /// <summary>
    /// The run folders of a sweep folder (or of the sweep a specification file describes), in plan order; only
    /// folders that exist are listed. For analyses and reports over a whole sweep.
    /// </summary>
    public static IReadOnlyList<string> RunFolders(string sweepOrSpecification)
    {
        var spec = SweepSpecification.Load(sweepOrSpecification);
        var marker = Path.Combine(spec.OutDirectory, SpecificationFile);
        if (!File.Exists(marker))
        {
            return [];
        }
        using var document = JsonDocument.Parse(File.ReadAllText(marker));
        return [.. document.RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => RunDirectory(spec.OutDirectory, r.GetProperty("id").GetString()!))
            .Where(Directory.Exists)];
    }

    /// <summary>The status in a run folder's manifest: running, complete, failed, or null when there is none.</summary>
    public static string? RunStatus(string runDirectory)
    {
        var manifest = Path.Combine(runDirectory, "manifest.json");
        if (!File.Exists(manifest))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            return document.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ReadFingerprint(string marker)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(marker));
            return document.RootElement.TryGetProperty("fingerprint", out var f) ? f.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes under a temporary name and renames; a failed write (disk full) leaves no partial file.</summary>
    private static void WriteText(string path, string text)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
