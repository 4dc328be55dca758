using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Data;
using AutoSpec.Record;
using AutoSpec.Training;

namespace AutoSpec.Sweeps;

/// <summary>
/// Expands a sweep into runs: the Cartesian product of the axes, the first axis varying slowest, so the plan (and
/// every run's index) depends only on the specification. Run ids are built from the axis values alone
/// (<c>seed-0_fold-3_kind-mlp</c>), so a run keeps its id, and its folder, when other values are added to an axis.
/// </summary>
internal static class SweepPlanner
{
    private const int MaxIdLength = 96;

    /// <summary>
    /// Most runs a plan may hold. Every run gets a configuration file, a folder and a line of the plan; far beyond this
    /// the product of the axes is a typo (a range pasted into an axis), and expanding it would take minutes and
    /// gigabytes before anything useful happens.
    /// </summary>
    public const long MaxRuns = 100_000;

    /// <summary>The runs of a specification, each configuration checked.</summary>
    /// <exception cref="InvalidInputException">The axes make more than <see cref="MaxRuns"/> runs, or a run's configuration is invalid.</exception>
    public static IReadOnlyList<SweepRun> Expand(SweepSpecification spec)
    {
        // The size is known from the axes alone, so an oversized plan is refused before anything is allocated.
        double count = spec.Axes.Aggregate(1.0, (n, a) => n * a.Values.Count);
        if (count > MaxRuns)
        {
            throw new InvalidInputException(
                $"{spec.Source}: the axes make {(count < 1e15 ? count.ToString("N0", CultureInfo.InvariantCulture) : count.ToString("G4", CultureInfo.InvariantCulture))} runs ({string.Join(" × ", spec.Axes.Select(a => $"{a.Values.Count} {a.Path}"))}); a sweep holds at most {MaxRuns.ToString("N0", CultureInfo.InvariantCulture)} runs.");
        }
        var combinations = new List<List<KeyValuePair<string, JsonNode?>>> { new() };
        foreach (var axis in spec.Axes)
        {
            combinations = [.. combinations.SelectMany(c => axis.Values.Select(v =>
                new List<KeyValuePair<string, JsonNode?>>([.. c, new(axis.Path, v)])))];
        }
        var names = AxisNames(spec.Axes);
        var ids = combinations.Select(c => Id(c, names)).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count || ids.Any(i => i.Length > MaxIdLength))
        {
            // Values that read alike after cleaning (e.g. "a b" and "a_b") get a hash suffix that tells them apart.
            ids = [.. combinations.Select((c, i) => Shorten(ids[i]) + "-" + Hash(c))];
        }
        var runs = new List<SweepRun>(combinations.Count);
        for (int i = 0; i < combinations.Count; i++)
        {
            var json = (JsonObject)spec.BaseJson.DeepClone();
            foreach (var (path, value) in combinations[i])
            {
                Set(json, path, value);
            }
            json["run_id"] = ids[i];
            RunConfiguration configuration;
            try
            {
                configuration = json.Deserialize<RunConfiguration>(RunManifest.Json)
                    ?? throw new InvalidInputException($"{spec.Source}: run {ids[i]} has no configuration.");
            }
            catch (JsonException e)
            {
                var values = string.Join(", ", combinations[i].Select(a => $"{a.Key} = {a.Value?.ToJsonString() ?? "null"}"));
                throw new InvalidInputException($"{spec.Source}: run {ids[i]} ({values}): '{e.Path}' {JsonErrorText.Reason(e.Message)}");
            }
            try
            {
                Training.Trainer.Validate(configuration);
            }
            catch (InvalidInputException e)
            {
                // Refused when planned, not hours later when the run's task starts.
                var values = string.Join(", ", combinations[i].Select(a => $"{a.Key} = {a.Value?.ToJsonString() ?? "null"}"));
                throw new InvalidInputException($"{spec.Source}: run {ids[i]} ({values}): {e.Message}");
            }
            catch (ArgumentException e) when (IsSetting(e.ParamName))
            {
                // A setting out of range, named as the specification's JSON field (training.epochs), not as a flag.
                var values = string.Join(", ", combinations[i].Select(a => $"{a.Key} = {a.Value?.ToJsonString() ?? "null"}"));
                throw new InvalidInputException($"{spec.Source}: run {ids[i]} ({values}): {OptionErrors.Renamed(e, JsonField)}");
            }
            runs.Add(new SweepRun(i, ids[i], combinations[i], configuration));
        }
        return runs;
    }

    /// <summary>A run configuration path as the JSON field of a specification: "Training.Epochs" → "training.epochs".</summary>
    internal static string JsonField(string path) =>
        string.Join('.', path.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));

    /// <summary>Whether a parameter name is a path of <see cref="RunConfiguration"/> ("Training.Epochs"), not a bug's.</summary>
    internal static bool IsSetting(string? path)
    {
        var type = typeof(RunConfiguration);
        foreach (var part in path?.Split('.') ?? [])
        {
            if (type.GetProperty(part) is not { } property)
            {
                return false;
            }
            type = property.PropertyType;
        }
        return path is { Length: > 0 };
    }

    /// <summary>
    /// Checks <paramref name="runs"/> against their data before any of them starts: each distinct data source (file
    /// options, or the built-in generator's) is loaded once with the loader a run uses, and every run's configuration
    /// is checked against it (<see cref="Training.Trainer.Check"/>: model and sample shape, folds and subjects,
    /// memory, …). Nothing is trained and nothing is written. Returns the loaders' warnings, each once.
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// A run would be refused: the first such run in plan order, with its id, its axis values and the reason.
    /// </exception>
    public static IReadOnlyList<string> CheckRuns(SweepSpecification spec, IReadOnlyList<SweepRun> runs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(runs);
        var warnings = new List<string>();
        (SweepRun Run, string Reason)? first = null;
        // One source at a time, so that only one data set is held; a failed load stands for all of its runs.
        foreach (var group in runs.GroupBy(r => JsonSerializer.Serialize(r.Configuration.Data with { Standardise = default }, RunManifest.Json)))
        {
            Dataset? data = null;
            InvalidInputException? loadError = null;
            try
            {
                var options = group.First().Configuration.Data;
                if (options.Source is { } source)
                {
                    var loaded = DatasetLoader.Load(source);
                    data = loaded.Dataset;
                    warnings.AddRange(loaded.Warnings.Where(w => !warnings.Contains(w)));
                }
                else
                {
                    data = GaussianMixtureGenerator.Generate(options.Synthetic);
                }
            }
            catch (InvalidInputException e)
            {
                loadError = e;
            }
            foreach (var run in group)
            {
                if (first is { } known && known.Run.Index < run.Index)
                {
                    break;
                }
                try
                {
                    if (loadError is not null)
                    {
                        throw loadError;
                    }
                    Trainer.Check(run.Configuration, data!);
                }
                catch (InvalidInputException e)
                {
                    first = (run, e.Message);
                    break;
                }
                catch (ArgumentException e) when (IsSetting(e.ParamName))
                {
                    // Named as the specification's JSON field (training.epochs), as Expand names it.
                    first = (run, OptionErrors.Renamed(e, JsonField));
                    break;
                }
            }
        }
        if (first is { } failed)
        {
            var values = string.Join(", ", failed.Run.Assignments.Select(a => $"{a.Key} = {a.Value?.ToJsonString() ?? "null"}"));
            throw new InvalidInputException(
                $"{spec.Source}: run {failed.Run.Id}{(values.Length > 0 ? $" ({values})" : "")}: {failed.Reason}");
        }
        return warnings;
    }

    /// <summary>Refuses a path that names no setting of the configuration.</summary>
    internal static void CheckPath(JsonObject baseJson, string path, string where)
    {
        var parts = path.Split('.');
        JsonNode? node = baseJson;
        for (int i = 0; i < parts.Length; i++)
        {
            if (node is null)
            {
                // Below an unset optional object (e.g. data.source): the run's configuration is checked as a whole.
                return;
            }
            if (node is not JsonObject o)
            {
                throw new InvalidInputException($"{where}: '{string.Join('.', parts[..i])}' is a value, not a group of settings.");
            }
            if (!o.TryGetPropertyValue(parts[i], out node))
            {
                var prefix = i == 0 ? "the configuration" : $"'{string.Join('.', parts[..i])}'";
                throw new InvalidInputException(
                    $"{where}: '{path}' is not a configuration setting; {prefix} has {string.Join(", ", o.Select(p => p.Key))}.");
            }
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value?.DeepClone();
    }

    /// <summary>Short axis names for ids: the last path segment, or the whole path when two axes end alike.</summary>
    private static Dictionary<string, string> AxisNames(IReadOnlyList<SweepAxis> axes)
    {
        var last = axes.ToDictionary(a => a.Path, a => a.Path.Split('.')[^1]);
        return axes.ToDictionary(a => a.Path, a => last.Values.Count(v => v == last[a.Path]) > 1
            ? a.Path.Replace('.', '-')
            : last[a.Path]);
    }

    private static string Id(List<KeyValuePair<string, JsonNode?>> assignments, Dictionary<string, string> names) =>
        assignments.Count == 0
            ? "run"
            : string.Join('_', assignments.Select(a => Clean(names[a.Key]) + "-" + Clean(ValueText(a.Value))));

    private static string ValueText(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray a => string.Join('x', a.Select(ValueText)),
        JsonObject o => Hash(o.ToJsonString()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("G10", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    /// <summary>Keeps letters, digits, '.' and '-' so that an id is a safe folder name everywhere.</summary>
    private static string Clean(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            s.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }
        var cleaned = s.ToString().Trim('-', '.');
        return cleaned.Length == 0 ? "x" : cleaned;
    }

    private static string Shorten(string id) => id.Length <= MaxIdLength - 9 ? id : id[..(MaxIdLength - 9)];

    private static string Hash(List<KeyValuePair<string, JsonNode?>> assignments) =>
        Hash(string.Join('\n', assignments.Select(a => a.Key + "=" + (a.Value?.ToJsonString() ?? "null"))));

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
