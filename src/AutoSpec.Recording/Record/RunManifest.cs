using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AutoSpec.Files;

namespace AutoSpec.Record;

/// <summary>
/// <c>manifest.json</c>: what a run ran (full configuration, seed, versions, data, split, layers), when, and how it
/// ended. Written when the run starts (status "running"), after every flush, and at the end ("complete" or
/// "failed" with the error). A run killed mid-way keeps "running"; resuming it from its checkpoint adds an entry to
/// <see cref="Resumed"/>.
/// </summary>
internal sealed class RunManifest
{
    /// <summary>JSON settings shared by the manifest and <c>--config</c> files (snake_case, enums as text).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// Format version of the run folder. 2: the online permutation test relabels the data set's subjects with
    /// relabellings shared by every run on them, its p is two-sided about the null's centre, permutations.parquet
    /// gained universe_a/b, null_mean, null_sd, excess, z, relabelling_seed and shared_relabellings, and
    /// permutation_null.parquet holds every relabelled statistic (1: relabellings over each window's subjects,
    /// p about 0).
    /// </summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The format version this build writes.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>running, complete or failed.</summary>
    public string Status { get; set; } = "running";

    /// <summary>Run id written with every row.</summary>
    public required string Run { get; init; }

    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>Fold of the run.</summary>
    public int Fold { get; init; }

    /// <summary>UTC start time.</summary>
    public DateTime StartedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>UTC end time (null while running).</summary>
    public DateTime? EndedUtc { get; set; }

    /// <summary>Wall time in seconds (null while running).</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>The command line, when run from the CLI.</summary>
    public string? CommandLine { get; init; }

    /// <summary>
    /// The configuration: a command-line run's whole configuration (what <c>--config</c> accepts); a run recorded
    /// from a caller's own training loop holds <c>introspection</c> only (see <see cref="Description"/>).
    /// </summary>
    public required JsonObject Configuration { get; init; }

    /// <summary>What the caller of a library run says it ran (model, data, optimiser …); null for command-line runs.</summary>
    public Dictionary<string, string>? Description { get; init; }

    /// <summary>Versions of the tool, TorchSharp, .NET and the OS.</summary>
    public Dictionary<string, string> Versions { get; init; } = [];

    /// <summary>Data summary: source, sizes, label and group counts.</summary>
    public Dictionary<string, object> Data { get; init; } = [];

    /// <summary>Model layers: name → shape "q×p".</summary>
    public Dictionary<string, string> Layers { get; init; } = [];

    /// <summary>
    /// Torch threads of the training thread ("torch") and of introspection's background thread ("background", 0 when
    /// introspection ran in the training thread).
    /// </summary>
    public Dictionary<string, int> Threads { get; init; } = [];

    /// <summary>Split of every subject in this run: subject id → "train" or "validation".</summary>
    public Dictionary<string, string> Split { get; init; } = [];

    /// <summary>
    /// CNNs of the zoo: the convolution asked for (<c>requested</c>: auto, native, unfold), the one the layers use
    /// (<c>used</c>), why (<c>reason</c>), and per layer the result of the native convolution check; null for other
    /// models.
    /// </summary>
    public Dictionary<string, string>? Convolutions { get; init; }

    /// <summary>Cross-validation fold of every subject (the run holds out fold <see cref="Fold"/>).</summary>
    public Dictionary<string, int> Folds { get; init; } = [];

    /// <summary>Warnings raised while preparing or running (e.g. tiny groups).</summary>
    public List<string> Warnings { get; init; } = [];

    /// <summary>Steps recorded so far and rows flushed per table.</summary>
    public Dictionary<string, long> Progress { get; init; } = [];

    /// <summary>Final training and validation metrics.</summary>
    public Dictionary<string, double?> Final { get; init; } = [];

    /// <summary>Validation accuracy and AUC per group after the last epoch (empty without validation samples).</summary>
    public List<GroupScore> ValidationByGroup { get; set; } = [];

    /// <summary>Resumptions from a checkpoint after an interruption, oldest first (empty for a run that ran through).</summary>
    public List<ResumeRecord> Resumed { get; init; } = [];

    /// <summary>The error, when the run failed.</summary>
    public string? Error { get; set; }

    /// <summary>Writes the manifest atomically.</summary>
    public void Save(string runDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "manifest.json"), JsonSerializer.Serialize(this, Json));
}
