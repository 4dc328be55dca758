using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AutoSpec.Analyse;
using AutoSpec.Capture;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Models;
using AutoSpec.Record;
using AutoSpec.Spectra;
using AutoSpec.Sweeps;
using AutoSpec.Training;
using Spectre.Console;

namespace AutoSpec.Cli;

/// <summary><c>autospec run</c>: train a model while recording per-group spectra into a run folder.</summary>
internal static class RunCommand
{
    private static readonly Option<FileInfo?> Config = new("--config") { Description = "JSON configuration file (the 'configuration' object of a manifest.json works); options given on the command line override it." };
    private static readonly Option<string?> Out = new("--out") { Description = "Run folder to create (default: runs/<UTC timestamp>). Must not exist or be empty." };
    private static readonly Option<bool> Overwrite = new("--overwrite") { Description = "Replace an earlier run at --out: only when its manifest.json is an AutoSpec run manifest, only the files a run writes (others stay), never while another process writes it (run.lock held)." };
    private static readonly Option<string?> RunId = new("--run-id") { Description = "Run id written with every row (default: the run folder's name)." };
    private static readonly Option<string?> Tensorboard = new("--tensorboard") { Description = "Also write TensorBoard event files (per-group metrics, their differences, curves, permutation z and p) into DIR/<run id>, for `tensorboard --logdir DIR` while the run trains. Files already in DIR stay." };

    private static readonly Option<string?> Data = new("--data") { Description = "Data file: CSV/TSV table (wide or long), .npy or .h5 array with --subjects, NIfTI image list or 4-D stack (see docs/DATA.md). Without it the built-in Gaussian mixture is used. Refused: gzip files without a matching trailer (truncated), sizes a file declares that it cannot hold or that exceed the memory available." };
    private static readonly DataSourceOptions Source = new();
    private static readonly Option<StandardiseScope?> Standardise = new("--standardise") { Description = "Feature standardisation fitted on the training folds: PerFeature (default), PerChannel (time courses: per component), Global (volumes)." };

    private static readonly Option<int?> SynthSamples = new("--synth-samples") { Description = "Built-in data: number of samples (default 1200)." };
    private static readonly Option<int?> SynthFeatures = new("--synth-features") { Description = "Built-in data: number of features (default 32)." };
    private static readonly Option<PlantedEffect?> SynthEffect = new("--synth-effect") { Description = "Built-in data: planted group effect: None (null mode), MeanShift (default) or Noise." };
    private static readonly Option<double?> SynthEffectSize = new("--synth-effect-size") { Description = "Built-in data: size of the planted effect (default 1.0)." };

    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed of initialisation, split, shuffling and built-in data (default 0). Same seed ⇒ same numbers on CPU. Not with --seeds." };
    private static readonly Option<string?> Seeds = new("--seeds") { Description = "Replicates: run once per seed (comma-separated) into OUT/seed-S_fold-F; the data stay the same. Not with --seed." };
    private static readonly Option<bool> AllFolds = new("--all-folds") { Description = "Replicates: run every fold of --folds into OUT/seed-S_fold-F." };
    private static readonly Option<int?> Fold = new("--fold") { Description = "Fold id written with every row (default 0). Not with --all-folds." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Training epochs (default 20)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Mini-batch size (default 64)." };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Learning rate (default 0.001)." };
    private static readonly Option<string?> Optimizer = new("--optimizer") { Description = "adam (default) or sgd." };
    private static readonly Option<double?> Momentum = new("--momentum") { Description = "SGD momentum (default 0.9)." };
    private static readonly Option<int?> Folds = new("--folds") { Description = "Cross-validation folds at the subject level, stratified by label (default 5); --fold is held out for validation." };
    private static readonly Option<bool> StratifyGroup = new("--stratify-group") { Description = "Stratify the folds by label and group." };
    private static readonly Option<int?> CheckpointEvery = new("--checkpoint-every") { Description = "Checkpoint every N steps as well as at the end of every epoch (default 0: epoch ends only). An unfinished run at --out resumes from its checkpoint when run again with the same configuration. Not with --no-checkpoint." };
    private static readonly Option<bool> NoCheckpoint = new("--no-checkpoint") { Description = "Write no checkpoint (a killed run can then only be started over with --overwrite)." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads for TorchSharp (default: its own choice)." };
    private static readonly Option<string?> Model = new("--model") { Description = "Model: mlp (default; any data, flattened), cnn1d, lstm, bilstm, gru, transformer (components × time points), cnn3d (volumes)." };
    private static readonly Option<string?> Channels = new("--channels") { Description = "CNNs: channels of the convolution layers, comma-separated (default 16,32)." };
    private static readonly Option<int?> Kernel = new("--kernel") { Description = "CNNs: kernel size (default 5); at most the length of a sample along each axis." };
    private static readonly Option<string?> Convolution = new("--convolution")
    {
        Description = "CNNs: auto (libtorch's convolution when its start-up check against float64 passes on this machine, else UnfoldConvolution; default), native or unfold.",
    };
    private static readonly Option<int?> Window = new("--window") { Description = "Windowed models: window length in time points (default 20)." };
    private static readonly Option<int?> Embedding = new("--embedding") { Description = "Windowed models: width of the window encoder (default 64)." };
    private static readonly Option<int?> RecurrentHidden = new("--recurrent-hidden") { Description = "Recurrent models: hidden size (default 64)." };
    private static readonly Option<int?> ModelLayers = new("--model-layers") { Description = "Recurrent layers or transformer blocks (default 1)." };
    private static readonly Option<int?> Heads = new("--heads") { Description = "Transformer: attention heads (default 4)." };
    private static readonly Option<bool> NormFirst = new("--norm-first") { Description = "Transformer: pre-norm blocks." };
    private static readonly Option<double?> Dropout = new("--dropout") { Description = "Dropout probability of recurrent and transformer models (default 0)." };
    private static readonly Option<string?> Hidden = new("--hidden") { Description = "Hidden layer widths of the MLP, comma-separated (default 64,32). A model whose estimated memory (weights, gradients, optimiser state, spectra) exceeds the memory available is refused." };
    private static readonly Option<string?> Activation = new("--activation") { Description = "Activation: relu (default), tanh, gelu, elu, leaky_relu, sigmoid." };

    private static readonly Option<int?> Every = new("--every") { Description = "Record every k-th step (default 1: every step)." };
    private static readonly Option<string?> RecordEpochs = new("--record-epochs") { Description = "Record only these 0-based epochs, comma-separated (default: all); each below --epochs." };
    private static readonly Option<string?> Layers = new("--layers") { Description = "Layers to record, comma-separated names such as fc1,fc3 (default: every Linear layer)." };
    private static readonly Option<string?> Quantities = new("--quantities") { Description = "Quantities: any of grad, act, delta, weight (default: all four)." };
    private static readonly Option<int?> TopK = new("--top-k") { Description = "Keep only the k largest singular values in spectra.parquet (default: all; metrics always use all)." };
    private static readonly Option<SpectrumRoute?> Route = new("--route") { Description = "Spectrum route: Auto (default: cheapest exact one), Qr, Gram, Direct, or Naive (the slow reference)." };
    private static readonly Option<SpectrumPrecision?> Precision = new("--precision") { Description = "Precision of the spectra of G, A and Δ: Double (default: float64, agrees with an explicit float64 SVD) or Single (float32, faster; its measured error is in docs/PERFORMANCE.md). σ(W) and the permutation test stay float64." };
    private static readonly Option<BackgroundMode?> Background = new("--background") { Description = "Spectra, recording, σ(W) and flushes on a background thread that overlaps training: Auto (default: when the machine has more cores than --threads), On, Off. Same numbers either way." };
    private static readonly Option<int?> SpectraWorkers = new("--spectra-workers") { Description = "Threads that compute the spectra of layers and steps at once: 0 (default: the cores --threads leaves free, at least 1) or a count; 1 computes them on the background thread itself. With worker threads and --threads 1 the training thread also computes them while it waits. Same tables for every count." };
    private static readonly Option<int?> WeightEvery = new("--weight-every-epochs") { Description = "σ(W) at the first step of every k-th epoch and at the end (default 1; 0 = never)." };
    private static readonly Option<int?> MetricK = new("--metric-k") { Description = "K of the top-K sum in metrics.parquet (default 5)." };
    private static readonly Option<bool> SplitGates = new("--split-gates") { Description = "Also record each gate of recurrent layers (LSTM i/f/g/o, GRU r/z/n) as its own layer NAME:gate." };
    private static readonly Option<int?> Permutations = new("--permutations") { Description = "Online subject-level permutation test: relabellings per layer, window, metric and pair of groups (default 1000; all of them when fewer; 0 = off, and analyze then has nothing to test). Rows go to permutations.parquet and permutation_null.parquet." };
    private static readonly Option<int?> PermutationWindow = new("--permutation-window") { Description = "Window of the online permutation test in steps (default: one epoch)." };
    private static readonly Option<string?> PermutationMetric = new("--permutation-metric") { Description = "Metrics of the online permutation statistic, comma-separated (default " + string.Join(",", SpectralMetrics.PermutationDefaults.Select(m => m.Name)) + ", the cheap ones; sigma1_normalised, effective_rank, … cost an eigendecomposition per relabelling)." };
    private static readonly Option<string?> DumpSteps = new("--dump-steps") { Description = "Steps (0-based, comma-separated) whose A, Δ, groups, W and W.grad are written as .npy under dump/." };

    public static Command Create()
    {
        var command = new Command("run", "Train a model and record per-group spectra of every weight layer into a run folder.")
        {
            Config, Out, Overwrite, RunId, Tensorboard,
            Data, Standardise,
            SynthSamples, SynthFeatures, SynthEffect, SynthEffectSize,
            Seed, Seeds, Fold, AllFolds, Folds, StratifyGroup, Epochs, BatchSize, Lr, Optimizer, Momentum, Threads, CheckpointEvery, NoCheckpoint,
            Model, Hidden, Activation, Channels, Kernel, Convolution, Window, Embedding, RecurrentHidden, ModelLayers, Heads, NormFirst, Dropout,
            Every, RecordEpochs, Layers, Quantities, TopK, Route, Precision, Background, SpectraWorkers, WeightEvery, MetricK, SplitGates, DumpSteps,
            Permutations, PermutationWindow, PermutationMetric,
        };
        Source.AddTo(command);
        command.SetAction(Execute);
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        using var interruption = new Interruption();
        bool checkpoints = true;
        return CommandErrors.Guard(() =>
        {
            var config = BuildConfiguration(parse);
            checkpoints = config.Training.Checkpoint;
            var (data, warnings) = LoadData(config.Data);
            var commandLine = string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            var results = new List<RunResult>();
            foreach (var replicate in Replicates(parse, config))
            {
                var result = RunOne(replicate, data, warnings, commandLine, interruption);
                results.Add(result);
                Console.WriteLine($"run complete: {result.Directory}");
                Console.WriteLine($"{result.Steps} steps, {result.RecordedSteps} recorded, {result.Duration.TotalSeconds:F1} s; " +
                    $"validation accuracy {result.Final.ValidationAccuracy?.ToString("F3", CultureInfo.InvariantCulture) ?? "n/a"}");
            }
            PrintSummary(results, data);
        }, () => (InterruptedMessage(interruption.Reason, checkpoints), interruption.ExitCode));
    }

    /// <summary>What an interrupted run left and how to go on: resuming needs a checkpoint, which --no-checkpoint forgoes.</summary>
    internal static string InterruptedMessage(string reason, bool checkpoints) => checkpoints
        ? $"{reason}: the run folder is marked failed; run the same command again to resume from its last checkpoint (flushed rows stay readable under parts/)."
        : $"{reason}: the run folder is marked failed; with --no-checkpoint it cannot be resumed, only started over with --overwrite (flushed rows stay readable under parts/).";

    /// <summary>
    /// The summary of <see cref="RunSummary"/>, with the analysis <c>analyze</c> makes with its defaults. The runs are
    /// complete whatever the analysis says: a failure of it is reported and leaves the exit code alone.
    /// </summary>
    private static void PrintSummary(IReadOnlyList<RunResult> results, Dataset data)
    {
        AnalysisResult? analysis = null;
        string? why = null;
        try
        {
            analysis = AnalysisResult.Of(RunSet.Load(results.Select(r => r.Directory).ToList(), includeIncomplete: false), new GroupComparisonOptions());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure here is the summary's, not the run's: say it and keep the run's exit code.
            why = e is InvalidInputException ? e.Message.TrimEnd('.') : $"{e.GetType().Name}: {e.Message.TrimEnd('.')}";
        }
        foreach (var line in RunSummary.Lines(results, data, analysis, why))
        {
            Console.WriteLine(line);
        }
    }

    private static RunResult RunOne(RunConfiguration config, Dataset data, IReadOnlyList<string> warnings, string commandLine,
        Interruption interruption)
    {
        var cancel = interruption.Token;
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsErrorRedirected)
        {
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx => Trainer.Run(config, data, warnings, new ConsoleProgress(ctx.AddTask("training")), commandLine, cancel,
                    cancelReason: () => interruption.Reason));
        }
        return Trainer.Run(config, data, warnings, new ConsoleProgress(null), commandLine, cancel, cancelReason: () => interruption.Reason);
    }

    /// <summary>
    /// One configuration per seed × fold when --seeds or --all-folds ask for replicates (each in its own folder
    /// under --out), otherwise the configuration itself. Every folder is checked before the first run starts.
    /// </summary>
    private static List<RunConfiguration> Replicates(ParseResult p, RunConfiguration config)
    {
        var seeds = p.GetValue(Seeds) is { } list ? ParseList(list, "--seeds", int.Parse) : null;
        bool allFolds = p.GetValue(AllFolds);
        if (seeds is null && !allFolds)
        {
            return [config];
        }
        var root = config.Out ?? Path.Combine("runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var folds = allFolds ? Enumerable.Range(0, config.Training.Folds) : [config.Training.Fold];
        var result = new List<RunConfiguration>();
        foreach (var seed in seeds ?? [config.Training.Seed])
        {
            foreach (var fold in folds)
            {
                var folder = Path.Combine(root, $"seed-{seed}_fold-{fold}");
                // An unfinished replicate with a checkpoint is resumed by its run (which checks it); others are refused here.
                if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !config.Overwrite
                    && !(RunResume.HasCheckpoint(folder) && SweepFolder.RunStatus(folder) is "running" or "failed"))
                {
                    throw new InvalidInputException($"--out: folder '{Path.GetFullPath(folder)}' exists and is not empty; choose another or pass --overwrite.");
                }
                result.Add(config with { Training = config.Training with { Seed = seed, Fold = fold }, Out = folder, RunId = null });
            }
        }
        return result;
    }

    /// <summary>
    /// Loads the data and says what was taken from a file (the columns' roles, the features) and what looks wrong
    /// (warnings), before any training, so that a stray column is seen at once rather than in the manifest.
    /// </summary>
    internal static (Dataset Data, IReadOnlyList<string> Warnings) LoadData(DataOptions options)
    {
        if (options.Source is not { } source)
        {
            return (GaussianMixtureGenerator.Generate(options.Synthetic), []);
        }
        var loaded = DatasetLoader.Load(source);
        foreach (var line in DatasetSummary.Columns(loaded, source))
        {
            Console.WriteLine(line);
        }
        foreach (var w in loaded.Warnings)
        {
            Console.Error.WriteLine($"warning: {w}");
        }
        return (loaded.Dataset, loaded.Warnings);
    }

    /// <summary>The configuration file (or defaults) with every option given on the command line applied on top.</summary>
    internal static RunConfiguration BuildConfiguration(ParseResult p)
    {
        RefuseConflicts(p);
        var c = ReadConfig(p.GetValue(Config));
        if ((p.GetValue(Out) ?? c.Out) is { } requestedOut && string.IsNullOrWhiteSpace(requestedOut))
        {
            throw new InvalidInputException("--out: the folder name is empty.");
        }
        var t = c.Training;
        t = t with
        {
            Seed = p.GetValue(Seed) ?? t.Seed,
            Fold = p.GetValue(Fold) ?? t.Fold,
            Epochs = p.GetValue(Epochs) ?? t.Epochs,
            BatchSize = p.GetValue(BatchSize) ?? t.BatchSize,
            LearningRate = p.GetValue(Lr) ?? t.LearningRate,
            Optimizer = p.GetValue(Optimizer) ?? t.Optimizer,
            Momentum = p.GetValue(Momentum) ?? t.Momentum,
            Folds = p.GetValue(Folds) ?? t.Folds,
            StratifyByGroup = p.GetValue(StratifyGroup) || t.StratifyByGroup,
            Threads = p.GetValue(Threads) ?? t.Threads,
            Checkpoint = !p.GetValue(NoCheckpoint) && t.Checkpoint,
            CheckpointEverySteps = p.GetValue(CheckpointEvery) ?? t.CheckpointEverySteps,
        };
        var m = c.Model with
        {
            Hidden = p.GetValue(Hidden) is { } h ? ParseList(h, "--hidden", int.Parse) : c.Model.Hidden,
            Activation = p.GetValue(Activation) ?? c.Model.Activation,
            Kind = p.GetValue(Model) ?? c.Model.Kind,
            Channels = p.GetValue(Channels) is { } ch ? ParseList(ch, "--channels", int.Parse) : c.Model.Channels,
            Kernel = p.GetValue(Kernel) ?? c.Model.Kernel,
            Convolution = p.GetValue(Convolution) ?? c.Model.Convolution,
            Window = p.GetValue(Window) ?? c.Model.Window,
            Embedding = p.GetValue(Embedding) ?? c.Model.Embedding,
            RecurrentHidden = p.GetValue(RecurrentHidden) ?? c.Model.RecurrentHidden,
            Layers = p.GetValue(ModelLayers) ?? c.Model.Layers,
            Heads = p.GetValue(Heads) ?? c.Model.Heads,
            NormFirst = p.GetValue(NormFirst) || c.Model.NormFirst,
            Dropout = p.GetValue(Dropout) ?? c.Model.Dropout,
        };
        var i = c.Introspection;
        i = i with
        {
            Every = p.GetValue(Every) ?? i.Every,
            Epochs = p.GetValue(RecordEpochs) is { } re ? ParseList(re, "--record-epochs", int.Parse) : i.Epochs,
            Layers = p.GetValue(Layers) is { } l ? ParseList(l, "--layers", s => s) : i.Layers,
            Quantities = p.GetValue(Quantities) is { } q ? OptionFlags.Parse("--quantities", () => SpectrumQuantityNames.Parse(q)) : i.Quantities,
            TopK = p.GetValue(TopK) ?? i.TopK,
            Route = p.GetValue(Route) ?? i.Route,
            Precision = p.GetValue(Precision) ?? i.Precision,
            Background = p.GetValue(Background) ?? i.Background,
            SpectraWorkers = p.GetValue(SpectraWorkers) ?? i.SpectraWorkers,
            WeightEveryEpochs = p.GetValue(WeightEvery) ?? i.WeightEveryEpochs,
            MetricTopK = p.GetValue(MetricK) ?? i.MetricTopK,
            DumpSteps = p.GetValue(DumpSteps) is { } d ? ParseList(d, "--dump-steps", long.Parse) : i.DumpSteps,
            SplitGates = p.GetValue(SplitGates) || i.SplitGates,
            Permutations = p.GetValue(Permutations) ?? i.Permutations,
            PermutationWindow = p.GetValue(PermutationWindow) ?? i.PermutationWindow,
            PermutationMetric = p.GetValue(PermutationMetric) ?? i.PermutationMetric,
        };
        var data = c.Data with { Standardise = p.GetValue(Standardise) ?? c.Data.Standardise };
        if (p.GetValue(Data) is { } path)
        {
            data = data with { Source = Source.Build(p, path) };
        }
        else if (Source.AnyGiven(p) || p.GetValue(Source.Format) is not null || p.GetValue(Source.Delimiter) is not null)
        {
            throw new InvalidInputException("--label, --group, --features, --subject, --delimiter and the other data options need --data (a data file).");
        }
        var s = data.Synthetic;
        data = data with
        {
            Synthetic = s with
            {
                Samples = p.GetValue(SynthSamples) ?? s.Samples,
                Features = p.GetValue(SynthFeatures) ?? s.Features,
                Effect = p.GetValue(SynthEffect) ?? s.Effect,
                EffectSize = p.GetValue(SynthEffectSize) ?? s.EffectSize,
                Seed = p.GetValue(Seed) ?? s.Seed,
            },
        };
        return c with
        {
            Data = data,
            Model = m,
            Training = t,
            Introspection = i,
            Out = p.GetValue(Out) ?? c.Out,
            Overwrite = p.GetValue(Overwrite) || c.Overwrite,
            RunId = p.GetValue(RunId) ?? c.RunId,
            Tensorboard = p.GetValue(Tensorboard) ?? c.Tensorboard,
        };
    }

    /// <summary>Options that contradict each other: one would be silently ignored, so neither is guessed.</summary>
    private static void RefuseConflicts(ParseResult p)
    {
        if (p.GetValue(Seed) is not null && p.GetValue(Seeds) is not null)
        {
            throw new InvalidInputException("--seed and --seeds exclude each other: --seeds runs once per listed seed; give the seeds there.");
        }
        if (p.GetValue(Fold) is not null && p.GetValue(AllFolds))
        {
            throw new InvalidInputException("--fold and --all-folds exclude each other: --all-folds runs every fold.");
        }
        if (p.GetValue(NoCheckpoint) && p.GetValue(CheckpointEvery) is > 0)
        {
            throw new InvalidInputException("--no-checkpoint and --checkpoint-every exclude each other: one writes no checkpoint, the other asks for more.");
        }
    }

    internal static RunConfiguration ReadConfig(FileInfo? file)
    {
        if (file is null)
        {
            return new RunConfiguration();
        }
        if (!file.Exists)
        {
            throw new InvalidInputException($"--config: file '{file.FullName}' not found.");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            // A manifest.json is accepted as it is: its "configuration" object repeats that run.
            var root = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("configuration", out var inner)
                && document.RootElement.TryGetProperty("format_version", out _)
                ? inner
                : document.RootElement;
            return root.Deserialize<RunConfiguration>(RunManifest.Json)
                ?? throw new InvalidInputException($"--config: '{file.FullName}' holds null, not a configuration object.");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"--config: '{file.FullName}'{JsonErrorText.Describe(e)}");
        }
        catch (IOException e)
        {
            throw new InvalidInputException($"--config: cannot read '{file.FullName}': {e.Message}");
        }
    }

    private static List<T> ParseList<T>(string text, string option, Func<string, T> parse)
    {
        var result = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                result.Add(parse(part));
            }
            catch (FormatException)
            {
                throw new InvalidInputException($"{option}: '{part}' is not a valid value.");
            }
            catch (OverflowException)
            {
                throw new InvalidInputException($"{option}: '{part}' is out of range.");
            }
        }
        if (result.Count == 0 && option != "--hidden")
        {
            throw new InvalidInputException($"{option}: no value given.");
        }
        return result;
    }
}
