namespace AutoSpec.Cli;

/// <summary>
/// The command line's names for the options the library names in <see cref="ArgumentException.ParamName"/> (paths
/// in <see cref="RunConfiguration"/> such as "Introspection.TopK"; see <see cref="OptionErrors"/>). An
/// <see cref="ArgumentException"/> with one of these names is the user's bad input, shown under the flag the user
/// typed; any other is a bug and stays an internal error.
/// </summary>
internal static class OptionFlags
{
    /// <summary>Run configuration paths with a flag of <c>autospec run</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Out"] = "--out",
        ["Tensorboard"] = "--tensorboard",
        ["Training.Epochs"] = "--epochs",
        ["Training.BatchSize"] = "--batch-size",
        ["Training.LearningRate"] = "--lr",
        ["Training.Optimizer"] = "--optimizer",
        ["Training.Momentum"] = "--momentum",
        ["Training.Folds"] = "--folds",
        ["Training.Fold"] = "--fold",
        ["Training.Threads"] = "--threads",
        ["Training.Checkpoint"] = "--no-checkpoint",
        ["Training.CheckpointEverySteps"] = "--checkpoint-every",
        ["Model.Kind"] = "--model",
        ["Model.Hidden"] = "--hidden",
        ["Model.Activation"] = "--activation",
        ["Model.Channels"] = "--channels",
        ["Model.Kernel"] = "--kernel",
        ["Model.Convolution"] = "--convolution",
        ["Model.Window"] = "--window",
        ["Model.Embedding"] = "--embedding",
        ["Model.RecurrentHidden"] = "--recurrent-hidden",
        ["Model.Layers"] = "--model-layers",
        ["Model.Heads"] = "--heads",
        ["Model.Dropout"] = "--dropout",
        ["Introspection.TopK"] = "--top-k",
        ["Introspection.Every"] = "--every",
        ["Introspection.Epochs"] = "--record-epochs",
        ["Introspection.Layers"] = "--layers",
        ["Introspection.Quantities"] = "--quantities",
        ["Introspection.WeightEveryEpochs"] = "--weight-every-epochs",
        ["Introspection.MetricTopK"] = "--metric-k",
        ["Introspection.SpectraWorkers"] = "--spectra-workers",
        ["Introspection.DumpSteps"] = "--dump-steps",
        ["Introspection.Permutations"] = "--permutations",
        ["Introspection.PermutationWindow"] = "--permutation-window",
        ["Introspection.PermutationMetric"] = "--permutation-metric",
    };

    /// <summary>
    /// Settings of the other commands' options records, named "Type.Property" (<see cref="Sweeps.SlurmScriptOptions.ParamPrefix"/>),
    /// with their flags.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> CommandFlags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SlurmScriptOptions.Time"] = "--time",
        ["SlurmScriptOptions.Memory"] = "--mem",
        ["SlurmScriptOptions.CpusPerTask"] = "--cpus-per-task",
        ["SlurmScriptOptions.MaxParallel"] = "--max-parallel",
        ["SlurmScriptOptions.Partition"] = "--partition",
        ["SlurmScriptOptions.Account"] = "--account",
        ["GroupComparisonOptions.Quantities"] = "--quantities",
        ["GroupComparisonOptions.Metrics"] = "--metrics",
        ["GroupComparisonOptions.FamilyBy"] = "--family",
        ["GroupComparisonOptions.Alpha"] = "--alpha",
        ["GroupComparisonOptions.Groups"] = "--groups",
        ["GroupComparisonOptions.Layers"] = "--layers",
        ["ValidationOptions.Scenarios"] = "--scenarios",
        ["ValidationOptions.Analyses"] = "--analyses",
        ["ValidationOptions.Permutations"] = "--permutations",
        ["ValidationOptions.Study"] = "--config",
    };

    /// <summary>
    /// Run configuration paths the library checks that only a <c>--config</c> file sets: shown as the file's JSON
    /// field (<see cref="JsonPath"/>: "introspection.flush_rows").
    /// </summary>
    public static readonly IReadOnlySet<string> ConfigOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "Training.WeightDecay",
        "Introspection.FlushRows",
        "Introspection.PermutationMaxRows",
    };

    /// <summary>
    /// The message of a library <see cref="ArgumentException"/> about a run option, under the name the user gave the
    /// option (its flag, or its JSON field for <see cref="ConfigOnly"/> ones); false for any other parameter name.
    /// </summary>
    public static bool TryDescribe(ArgumentException e, out string message)
    {
        message = "";
        if (e.ParamName is not { } name || Name(name) is null)
        {
            return false;
        }
        message = OptionErrors.Renamed(e, Name);
        return true;
    }

    /// <summary>The user's name of a run configuration path: its flag, its JSON field for a <see cref="ConfigOnly"/> one, else null.</summary>
    public static string? Name(string path) =>
        Flags.TryGetValue(path, out var flag) || CommandFlags.TryGetValue(path, out flag) ? flag
        : ConfigOnly.Contains(path) ? JsonPath(path) : null;

    /// <summary>A run configuration path as a field of the JSON file: "Training.WeightDecay" → "training.weight_decay".</summary>
    public static string JsonPath(string path) => Sweeps.SweepPlanner.JsonField(path);

    /// <summary>
    /// Runs a parser of one flag's text (a library method that takes the value as its argument) and shows its
    /// <see cref="ArgumentException"/> under the flag.
    /// </summary>
    public static T Parse<T>(string flag, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new InvalidInputException(OptionErrors.Renamed(e, flag));
        }
    }

    /// <summary>As <see cref="Parse{T}"/> for a check that returns nothing.</summary>
    public static void Check(string flag, Action check) => Parse(flag, () =>
    {
        check();
        return true;
    });
}
