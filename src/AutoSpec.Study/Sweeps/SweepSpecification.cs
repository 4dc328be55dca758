using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Record;

namespace AutoSpec.Sweeps;

/// <summary>
/// A sweep specification file: a base run configuration (the <c>configuration</c> object of any manifest.json) and
/// axes, each a configuration path with a list of values. The runs are the Cartesian product of the axes:
/// <code>
/// { "base": { "training": { "epochs": 10 } },
///   "axes": { "training.seed": [0, 1, 2], "training.fold": [0, 1, 2, 3, 4], "model.kind": ["mlp", "lstm"] },
///   "out": "sweeps/study" }
/// </code>
/// </summary>
internal sealed class SweepSpecification
{
    private SweepSpecification(string source, RunConfiguration baseConfiguration, JsonObject baseJson,
        IReadOnlyList<SweepAxis> axes, string outDirectory, string fingerprint, string text)
    {
        Source = source;
        Base = baseConfiguration;
        BaseJson = baseJson;
        Axes = axes;
        OutDirectory = outDirectory;
        Fingerprint = fingerprint;
        Text = text;
    }

    /// <summary>The file the specification was read from.</summary>
    public string Source { get; }

    /// <summary>The base configuration.</summary>
    public RunConfiguration Base { get; }

    /// <summary>The base configuration as full JSON (every setting, defaults filled in), which axes modify.</summary>
    public JsonObject BaseJson { get; }

    /// <summary>The axes, in the order of the file (the last one varies fastest in the plan).</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>The sweep folder (absolute): "out" of the file relative to the file's folder, or its override.</summary>
    public string OutDirectory { get; }

    /// <summary>
    /// SHA-256 of the base and the axes as written (compact JSON). A sweep folder remembers it, so that a folder
    /// made by one specification is not silently filled with runs of another.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The specification text as read.</summary>
    public string Text { get; }

    /// <summary>Reads and checks a specification file; throws <see cref="InvalidInputException"/> naming the line and key.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="outOverride">A sweep folder that replaces the file's "out".</param>
    public static SweepSpecification Load(string path, string? outOverride = null)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) && File.Exists(Path.Combine(full, SweepFolder.SpecificationFile)))
        {
            // A sweep folder stands for the specification it was made from.
            var marker = Path.Combine(full, SweepFolder.SpecificationFile);
            try
            {
                var stored = JsonNode.Parse(File.ReadAllText(marker))!.AsObject();
                var original = stored["source"]?.GetValue<string>() ?? marker;
                return Parse(stored["specification"]!.ToJsonString(), original, outOverride ?? full);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or IOException)
            {
                throw new InvalidInputException($"'{marker}' is damaged: {e.Message}");
            }
        }
        if (!File.Exists(full))
        {
            throw new InvalidInputException($"sweep specification '{full}' not found.");
        }
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read sweep specification '{full}': {e.Message}");
        }
        return Parse(text, full, outOverride);
    }

    /// <summary>Parses a specification; <paramref name="source"/> names it in errors and anchors a relative "out".</summary>
    public static SweepSpecification Parse(string text, string source, string? outOverride = null)
    {
        SweepFile file;
        JsonObject raw;
        try
        {
            file = JsonSerializer.Deserialize<SweepFile>(text, RunManifest.Json)
                ?? throw new InvalidInputException($"{source}: holds null, not a sweep specification object.");
            raw = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            })!.AsObject();
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}:{JsonErrorText.Describe(e)}");
        }
        var baseConfiguration = file.Base ?? new RunConfiguration();
        var baseJson = JsonSerializer.SerializeToNode(baseConfiguration, RunManifest.Json)!.AsObject();
        var axes = new List<SweepAxis>();
        foreach (var (axisPath, values) in file.Axes ?? [])
        {
            var where = $"{source}: line {LineOf(text, axisPath)} at 'axes.{axisPath}'";
            if (values is not JsonArray array)
            {
                throw new InvalidInputException($"{where}: an axis is a list of values, e.g. [0, 1, 2].");
            }
            if (array.Count == 0)
            {
                throw new InvalidInputException($"{where}: the axis has no values; give at least one or remove it.");
            }
            var distinct = new HashSet<string>();
            foreach (var v in array)
            {
                if (!distinct.Add(v?.ToJsonString() ?? "null"))
                {
                    throw new InvalidInputException($"{where}: value {v?.ToJsonString() ?? "null"} appears twice.");
                }
            }
            if (axisPath is "out" or "overwrite" or "run_id")
            {
                throw new InvalidInputException($"{where}: the sweep sets '{axisPath}' of every run itself.");
            }
            SweepPlanner.CheckPath(baseJson, axisPath, where);
            axes.Add(new SweepAxis(axisPath, [.. array.Select(v => v?.DeepClone())]));
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(source)) ?? Directory.GetCurrentDirectory();
        var outDirectory = outOverride is not null
            ? Path.GetFullPath(outOverride)
            : file.Out is { } o ? OutBelow(folder, o, source, text)
            : Path.Combine(folder, Path.GetFileNameWithoutExtension(source));
        var canonical = new JsonObject
        {
            ["base"] = raw["base"]?.DeepClone(),
            ["axes"] = raw["axes"]?.DeepClone(),
        }.ToJsonString();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new SweepSpecification(source, baseConfiguration, baseJson, axes, outDirectory, fingerprint, text);
    }

    /// <summary>
    /// The file's "out", resolved against the specification's folder (so the same file makes the same sweep from any
    /// working directory). It must stay below that folder: an absolute path or one climbing out with ".." could point
    /// a shared specification at any folder of the machine; <c>--out</c> on the command line can name any folder.
    /// </summary>
    private static string OutBelow(string folder, string value, string source, string text)
    {
        var where = $"{source}: line {LineOf(text, "out")} at 'out'";
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidInputException($"{where}: the sweep folder name is empty.");
        }
        if (Path.IsPathRooted(value))
        {
            throw new InvalidInputException(
                $"{where}: '{value}' is an absolute path; \"out\" is relative to the specification's folder (use --out to write elsewhere).");
        }
        var full = Path.GetFullPath(Path.Combine(folder, value));
        var relative = Path.GetRelativePath(folder, full);
        if (relative == "." || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidInputException(
                $"{where}: '{value}' is not a folder below the specification's folder '{folder}' (use --out to write elsewhere).");
        }
        return full;
    }

    /// <summary>Expands the axes into the runs (see <see cref="SweepPlanner"/>).</summary>
    public IReadOnlyList<SweepRun> Plan() => SweepPlanner.Expand(this);

    /// <summary>The 1-based line of the first occurrence of a quoted key, for errors that JSON parsing does not see.</summary>
    private static int LineOf(string text, string key)
    {
        int at = text.IndexOf(JsonSerializer.Serialize(key), StringComparison.Ordinal);
        return at < 0 ? 1 : 1 + text.AsSpan(0, at).Count('\n');
    }

    /// <summary>The file's shape; unknown keys are refused by the shared JSON settings.</summary>
    private sealed record SweepFile
    {
        public string? Name { get; init; }

        public string? Description { get; init; }

        public RunConfiguration? Base { get; init; }

        public JsonObject? Axes { get; init; }

        public string? Out { get; init; }
    }
}
