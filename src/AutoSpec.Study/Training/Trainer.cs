using System.Diagnostics;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Models;
using AutoSpec.Record;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Training;

/// <summary>The outcome of a finished run.</summary>
public sealed record RunResult(string Directory, long Steps, long RecordedSteps, EpochResult Final, TimeSpan Duration)
{
    /// <summary>Validation accuracy and AUC per group after the last epoch (empty without validation samples).</summary>
    public IReadOnlyList<GroupScore> ValidationByGroup { get; init; } = [];
}

/// <summary>
/// The command line's training: a model of the zoo (or the caller's) on a data set, with cross-entropy, mini-batches
/// and subject-level folds, while an <see cref="IntrospectionProbe"/> records into the run folder; checkpoints and
/// resumes. All input is checked before the run folder is created.
/// </summary>
public static class Trainer
{
    /// <summary>Runs training and recording; the run folder ends "complete", or "failed" when an error escapes.</summary>
    /// <param name="config">The run configuration.</param>
    /// <param name="data">Samples, labels and groups.</param>
    /// <param name="dataWarnings">Warnings of the loader, recorded in the manifest.</param>
    /// <param name="progress">Receives progress, or null.</param>
    /// <param name="commandLine">Recorded in the manifest.</param>
    /// <param name="cancel">Stops the run; the folder is then marked failed.</param>
    /// <param name="model">
    /// A model of the caller's instead of the one <see cref="RunConfiguration.Model"/> describes; it takes input
    /// (N, sample shape…) and returns logits (N, classes). Created after the seed is set.
    /// </param>
    /// <param name="cancelReason">Why <paramref name="cancel"/> fired, for the manifest's error (default "cancelled by the user").</param>
    public static RunResult Run(RunConfiguration config, Dataset data, IReadOnlyList<string> dataWarnings,
        ITrainingProgress? progress = null, string? commandLine = null, CancellationToken cancel = default,
        Func<nn.Module<Tensor, Tensor>>? model = null, Func<string>? cancelReason = null)
    {
        var t = config.Training;
        Validate(config);
        var warnings = new List<string>(dataWarnings);
        var groupNames = GroupNames(data, warnings);
        // Before the native convolution check below, which would try a kernel of any size.
        CheckClassesAndModel(config, data, zooModel: model is null);
        int classes = data.LabelNames.Count;
        if (t.Threads > 0)
        {
            torch.set_num_threads(t.Threads);
        }
        var (folds, trainRows, validationRows) = Split(data, t);
        warnings.AddRange(folds.Warnings);
        // Missing cells are filled from this fold's training samples only; the data as loaded stay as they are (the
        // fingerprint and the summary describe them, and other folds impute from their own training samples).
        var loaded = data;
        var imputer = data.Missing is { Cells.Count: > 0 } ? MissingValueImputer.Fit(data, trainRows) : null;
        data = imputer?.Apply(data) ?? data;
        var standardiser = Standardiser.Fit(data, trainRows, config.Data.Standardise);
        torch.random.manual_seed(t.Seed);
        // Decided after the thread count is set: which kernel libtorch picks, and so the check, depends on it.
        var convolutions = model is null ? ConvolutionChoice.Decide(config.Model, data.SampleShape, t.BatchSize) : null;
        if (convolutions?.Warning is { } convolutionWarning)
        {
            warnings.Add(convolutionWarning);
        }
        using var network = model?.Invoke() ?? ModelFactory.Create(config.Model, data.SampleShape, classes, convolutions);
        var groupIndex = groupNames.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i);
        int[] sampleGroup = data.Groups.Select(g => groupIndex[g]).ToArray();
        var (sampleSubject, subjectGroup) = Subjects(data, sampleGroup);
        using var probe = new IntrospectionProbe(network, config.Introspection, groupNames, subjectGroup);

        // An unfinished run at --out with a checkpoint continues from it; everything above was rebuilt from the seed
        // exactly as the first time, so restoring the checkpoint over it leaves the state of the interrupted run.
        using var resume = RunResume.Open(config);
        var (directory, runLock) = resume is null ? RunFolder.Prepare(config.Out, config.Overwrite) : (resume.Directory, resume.Lock);
        using var heldLock = runLock;
        var manifest = new RunManifest
        {
            Run = config.RunId ?? Path.GetFileName(directory),
            Seed = t.Seed,
            Fold = t.Fold,
            StartedUtc = resume?.Previous.StartedUtc ?? DateTime.UtcNow,
            CommandLine = commandLine,
            Configuration = System.Text.Json.JsonSerializer.SerializeToNode(config, RunManifest.Json)!.AsObject(),
            Versions = RunVersions.Current(),
            Data = DataSummary(loaded, groupNames, imputer),
            Layers = probe.Description.Layers.ToDictionary(),
            Split = folds.Assignment.ToDictionary(a => a.Key, a => a.Value == t.Fold ? "validation" : "train"),
            Folds = folds.Assignment.ToDictionary(a => a.Key, a => a.Value),
            Warnings = warnings,
            Threads = new() { ["torch"] = torch.get_num_threads(), ["background"] = probe.BackgroundThreads },
            Convolutions = convolutions is null ? null : new Dictionary<string, string>
            {
                ["requested"] = convolutions.Requested,
                ["used"] = convolutions.Used,
                ["reason"] = convolutions.Reason,
            }.Concat(convolutions.Layers).ToDictionary(),
            Resumed = resume?.Previous.Resumed ?? [],
        };
        if (resume is not null)
        {
            CheckSameRun(resume, manifest);
            manifest.Resumed.Add(new ResumeRecord(resume.Checkpoint.Step, resume.Checkpoint.Epoch, DateTime.UtcNow, resume.Previous.Status));
        }
        using var tensorBoard = config.Tensorboard is { } tensorBoardRoot ? TensorBoardFor(tensorBoardRoot, manifest.Run) : null;
        var recorder = new RunRecorder(directory, manifest);
        var clock = Stopwatch.StartNew();
        try
        {
            probe.Attach(recorder);
            if (tensorBoard is not null)
            {
                probe.Attach(tensorBoard);
            }
            if (resume is not null)
            {
                recorder.Restore(resume.Checkpoint.Recorder);
            }
            var features = standardiser.Transform(data.Features);
            var result = TrainLoop(config, data, features, sampleGroup, sampleSubject, trainRows, validationRows, groupNames, network, probe, recorder,
                resume?.Checkpoint, progress, cancel);
            manifest.Final["train_loss"] = result.TrainLoss;
            manifest.Final["train_accuracy"] = result.TrainAccuracy;
            manifest.Final["train_auc"] = result.TrainAuc;
            manifest.Final["validation_loss"] = result.ValidationLoss;
            manifest.Final["validation_accuracy"] = result.ValidationAccuracy;
            manifest.Final["validation_auc"] = result.ValidationAuc;
            manifest.ValidationByGroup = GroupEvaluation.Evaluate(network, features, data, validationRows, groupNames);
            probe.Complete();
            // The tables are whole: the checkpoint and the lock file have served their purpose.
            File.Delete(TrainingCheckpoint.PathIn(directory));
            runLock.Dispose();
            File.Delete(Path.Combine(directory, RunResume.LockFile));
            long steps = StepsPerEpoch(trainRows.Length, t.BatchSize) * (long)t.Epochs;
            return new RunResult(directory, steps, recorder.RecordedSteps, result, clock.Elapsed) { ValidationByGroup = manifest.ValidationByGroup };
        }
        catch (Exception e)
        {
            probe.Fail(e is OperationCanceledException ? new OperationCanceledException(cancelReason?.Invoke() ?? "cancelled by the user") : e);
            throw;
        }
    }

    /// <summary>
    /// The TensorBoard sink of a run: event files in ROOT/RUN, so that the runs of a study or sweep sharing one root
    /// show as separate runs in TensorBoard (a run id that is not a plain name becomes one: '/', '\\' and '..' are
    /// replaced, so the files stay inside ROOT).
    /// </summary>
    private static TensorBoardSink TensorBoardFor(string root, string run)
    {
        var name = string.Concat(run.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '/' or '\\' ? '_' : c));
        if (name is "" or "." or "..")
        {
            name = "run";
        }
        try
        {
            return new TensorBoardSink(Path.Combine(root, name));
        }
        catch (InvalidInputException e)
        {
            throw OptionErrors.Invalid(nameof(RunConfiguration.Tensorboard), e.Message);
        }
    }

    /// <summary>Refuses to resume when the data, split or model differ from the interrupted run's.</summary>
    private static void CheckSameRun(RunResume resume, RunManifest manifest)
    {
        if (resume.Previous.Data.TryGetValue("sha256", out var recorded) && recorded.ToString() is { } recordedHash
            && manifest.Data["sha256"] is string hash && recordedHash != hash)
        {
            throw new InvalidInputException(
                $"--out: cannot resume the run in '{resume.Directory}': the data's content changed since it started ({manifest.Data["source"]}: SHA-256 {Short(recordedHash)} recorded, {Short(hash)} now); pass --overwrite to start over.");
        }
        static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
        // Runs recorded before the data's fingerprint was stored are compared on the rest of the summary.
        // Fields a later version added to the summary are compared only when the interrupted run recorded them too.
        var previous = resume.Previous.Data.Where(p => p.Key != "sha256").ToDictionary();
        var data = manifest.Data.Where(p => p.Key != "sha256" && previous.ContainsKey(p.Key)).ToDictionary();
        foreach (var (field, before, now) in new (string, object, object)[]
        {
            ("data", previous, data),
            ("split", resume.Previous.Split, manifest.Split),
            ("layers", resume.Previous.Layers, manifest.Layers),
        })
        {
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(
                System.Text.Json.JsonSerializer.SerializeToNode(before, RunManifest.Json),
                System.Text.Json.JsonSerializer.SerializeToNode(now, RunManifest.Json)))
            {
                throw new InvalidInputException(
                    $"--out: cannot resume the run in '{resume.Directory}': its manifest field '{field}' differs from this run's (other data or model); pass --overwrite to start over.");
            }
        }
    }

    /// <summary>
    /// Subject index (order of first appearance, so the same for every run on the same data) of every sample, and
    /// the group index of every subject (−1 for a subject whose samples sit in several groups): the universe whose
    /// labels the online permutation test exchanges.
    /// </summary>
    private static (int[] SampleSubject, int[] SubjectGroup) Subjects(Dataset data, int[] sampleGroup)
    {
        var subjectIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var subjectGroup = new List<int>();
        var sampleSubject = new int[data.SampleCount];
        for (int i = 0; i < sampleSubject.Length; i++)
        {
            if (!subjectIndex.TryGetValue(data.SubjectIds[i], out int s))
            {
                subjectIndex[data.SubjectIds[i]] = s = subjectGroup.Count;
                subjectGroup.Add(sampleGroup[i]);
            }
            else if (subjectGroup[s] != sampleGroup[i])
            {
                subjectGroup[s] = -1;
            }
            sampleSubject[i] = s;
        }
        return (sampleSubject, [.. subjectGroup]);
    }

    private static EpochResult TrainLoop(RunConfiguration config, Dataset data, float[] features, int[] sampleGroup, int[] sampleSubject,
        int[] trainRows, int[] validationRows, IReadOnlyList<string> groupNames, nn.Module<Tensor, Tensor> model, IntrospectionProbe probe,
        RunRecorder recorder, TrainingCheckpoint? checkpoint, ITrainingProgress? progress, CancellationToken cancel)
    {
        var t = config.Training;
        long[] shape = [data.SampleCount, .. data.SampleShape.Select(d => (long)d)];
        using var x = tensor(features, shape);
        using var y = tensor(data.Labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
        using var optimizer = CreateOptimizer(model, t);
        var rng = new Random(t.Seed);
        int classes = data.LabelNames.Count;
        long stepsPerEpoch = StepsPerEpoch(trainRows.Length, t.BatchSize);
        progress?.Start(stepsPerEpoch * t.Epochs, t.Epochs);
        long step = 0;
        EpochResult? last = null;
        var order = (int[])trainRows.Clone();
        int firstEpoch = 0;
        int firstStart = 0;
        if (checkpoint is not null)
        {
            (firstEpoch, firstStart, step, last) = (checkpoint.Epoch, checkpoint.BatchStart, checkpoint.Step, checkpoint.Last);
            ReplayShuffles(rng, order, checkpoint, recorder.Directory);
            checkpoint.Restore(model, optimizer, TrainingCheckpoint.PathIn(recorder.Directory), probe);
        }
        for (int epoch = firstEpoch; epoch < t.Epochs; epoch++)
        {
            int firstBatch = epoch == firstEpoch ? firstStart : 0;
            if (firstBatch == 0)
            {
                rng.Shuffle(order);
            }
            model.train();
            for (int start = firstBatch; start < order.Length; start += t.BatchSize, step++)
            {
                if (t.Checkpoint && t.CheckpointEverySteps > 0 && start > firstBatch && step % t.CheckpointEverySteps == 0)
                {
                    SaveCheckpoint(model, optimizer, probe, recorder, epoch, start, step, order, last);
                }
                cancel.ThrowIfCancellationRequested();
                int[] batch = order[start..Math.Min(start + t.BatchSize, order.Length)];
                using var scope = NewDisposeScope();
                var index = tensor(batch.Select(i => (long)i).ToArray(), ScalarType.Int64);
                var xb = x.index_select(0, index);
                var yb = y.index_select(0, index);
                optimizer.zero_grad();
                Tensor logits;
                double lossValue;
                using (probe.Step(epoch, step, batch.Select(i => sampleGroup[i]).ToArray(), batch.Select(i => sampleSubject[i]).ToArray()))
                {
                    logits = model.call(xb);
                    var loss = nn.functional.cross_entropy(logits, yb);
                    lossValue = loss.item<float>();
                    if (!double.IsFinite(lossValue))
                    {
                        // Stop before non-finite gradients reach the spectra (LAPACK would abort on them).
                        throw new InvalidInputException(
                            $"training diverged: the loss is {lossValue} at step {step} (epoch {epoch}); lower --lr or check the data for extreme values.");
                    }
                    loss.backward();
                }
                optimizer.step();
                var batchLabels = batch.Select(i => data.Labels[i]).ToArray();
                var probabilities = softmax(logits.detach(), 1).data<float>().ToArray();
                double accuracy = ClassificationMetrics.Accuracy(probabilities, classes, batchLabels);
                double? auc = ClassificationMetrics.RocAuc(probabilities, classes, batchLabels);
                // In order with the spectra, so that a checkpoint's flush holds exactly the rows of the steps before it.
                probe.AddCurve(new CurvePoint(epoch, step, CurvePoint.TrainStep, batch.Length, lossValue, accuracy, auc));
                progress?.Step(epoch, step, lossValue);
            }
            (last, var validationProbabilities) = Evaluate(model, x, y, data, trainRows, validationRows, classes);
            probe.AddCurve(new CurvePoint(epoch, step - 1, CurvePoint.Train, trainRows.Length, last.TrainLoss, last.TrainAccuracy, last.TrainAuc));
            if (last.ValidationLoss is double vl)
            {
                probe.AddCurve(new CurvePoint(epoch, step - 1, CurvePoint.Validation, validationRows.Length, vl, last.ValidationAccuracy!.Value, last.ValidationAuc));
                // Per group too: whether the model serves the groups equally well, epoch by epoch, is what a gradient
                // difference is read against.
                foreach (var s in GroupEvaluation.Scores(validationProbabilities!, data, validationRows, groupNames))
                {
                    probe.AddCurve(new CurvePoint(epoch, step - 1, CurvePoint.ValidationGroup, s.Samples, s.Loss!.Value, s.Accuracy, s.Auc, s.Group));
                }
            }
            // Tests the epoch's permutation window and flushes: the epoch-end checkpoint then holds no open window.
            probe.EndEpoch();
            if (t.Checkpoint)
            {
                SaveCheckpoint(model, optimizer, probe, recorder, epoch + 1, 0, step, order, last);
            }
            progress?.Epoch(epoch, last);
        }
        // The manifest's final fields are set next, on this thread: the background thread must be done with it.
        probe.Drain();
        return last!;
    }

    /// <summary>
    /// Writes a checkpoint: the model's, optimiser's and random state now, and — in order with the introspection work
    /// of the steps before it, on the background thread when there is one — the recorder flushed (a checkpoint stands
    /// between two part files) and the introspection state. Training need not wait for the background thread.
    /// </summary>
    private static void SaveCheckpoint(nn.Module model, optim.Optimizer optimizer, IntrospectionProbe probe,
        RunRecorder recorder, int epoch, int batchStart, long step, int[] order, EpochResult? last)
    {
        var training = TrainingCheckpoint.Capture(model, optimizer, epoch, batchStart, step, order, last, RecorderPosition.None);
        probe.InOrder(() =>
        {
            recorder.Flush();
            training.At(recorder.Position, probe.StateInOrder()).Save(TrainingCheckpoint.PathIn(recorder.Directory));
        });
    }

    /// <summary>
    /// Brings the shuffling generator and the batch order to where the checkpoint left them by shuffling again, epoch
    /// by epoch, from the seed (System.Random's state cannot be saved, but its sequence is fixed by the seed).
    /// </summary>
    private static void ReplayShuffles(Random rng, int[] order, TrainingCheckpoint checkpoint, string directory)
    {
        int shuffles = checkpoint.Epoch + (checkpoint.BatchStart > 0 ? 1 : 0);
        for (int e = 0; e < shuffles; e++)
        {
            rng.Shuffle(order);
        }
        if (checkpoint.BatchStart > 0 && !order.SequenceEqual(checkpoint.Order))
        {
            throw new InvalidInputException(
                $"checkpoint '{TrainingCheckpoint.PathIn(directory)}': replaying the shuffles from the seed does not give the recorded batch order (other data or another version of AutoSpec); start over with --overwrite.");
        }
    }

    /// <summary>The epoch's scores, and the validation rows' class probabilities (null without validation rows).</summary>
    private static (EpochResult Result, float[]? ValidationProbabilities) Evaluate(nn.Module<Tensor, Tensor> model, Tensor x,
        Tensor y, Dataset data, int[] trainRows, int[] validationRows, int classes)
    {
        model.eval();
        using var noGrad = no_grad();
        var (trainLoss, trainAccuracy, trainAuc, _) = EvaluateSplit(model, x, y, data, trainRows, classes);
        var (validationLoss, validationAccuracy, validationAuc, probabilities) = validationRows.Length > 0
            ? EvaluateSplit(model, x, y, data, validationRows, classes)
            : (double.NaN, double.NaN, null, null);
        model.train();
        return validationRows.Length > 0
            ? (new EpochResult(trainLoss, trainAccuracy, trainAuc, validationLoss, validationAccuracy, validationAuc), probabilities)
            : (new EpochResult(trainLoss, trainAccuracy, trainAuc, null, null, null), null);
    }

    private static (double Loss, double Accuracy, double? Auc, float[]? Probabilities) EvaluateSplit(nn.Module<Tensor, Tensor> model,
        Tensor x, Tensor y, Dataset data, int[] rows, int classes)
    {
        using var scope = NewDisposeScope();
        var index = tensor(rows.Select(i => (long)i).ToArray(), ScalarType.Int64);
        var logits = model.call(x.index_select(0, index));
        double loss = nn.functional.cross_entropy(logits, y.index_select(0, index)).item<float>();
        var probabilities = softmax(logits, 1).data<float>().ToArray();
        var labels = rows.Select(i => data.Labels[i]).ToArray();
        return (loss, ClassificationMetrics.Accuracy(probabilities, classes, labels), ClassificationMetrics.RocAuc(probabilities, classes, labels), probabilities);
    }

    private static long StepsPerEpoch(int trainSamples, int batchSize) => (trainSamples + batchSize - 1) / batchSize;

    private static optim.Optimizer CreateOptimizer(nn.Module model, TrainingOptions t) => t.Optimizer.ToLowerInvariant() switch
    {
        "adam" => new HeldScalarAdam(model.parameters(), t.LearningRate, t.WeightDecay),
        "sgd" => new HeldScalarSgd(model.parameters(), t.LearningRate, t.Momentum, t.WeightDecay),
        _ => throw OptionErrors.Invalid(TrainingPrefix + nameof(t.Optimizer), $"unknown optimizer '{t.Optimizer}'; use adam or sgd."),
    };

    /// <summary>
    /// Checks that <paramref name="config"/> can run on <paramref name="data"/>, as <see cref="Run"/> does before it
    /// creates the run folder, without training or TorchSharp: the settings (<see cref="Validate(RunConfiguration)"/>),
    /// classes and groups, the model against the sample shape and its estimated memory, the folds against the
    /// subjects, and the imputation of missing cells from the training samples. <c>sweep plan</c> and <c>sweep run</c>
    /// check every run so, before any worker starts.
    /// </summary>
    /// <exception cref="InvalidInputException">The run would be refused; the message names the option or file.</exception>
    public static void Check(RunConfiguration config, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        // The same checks, in the same order, as the start of Run.
        Validate(config);
        GroupNames(data, []);
        CheckClassesAndModel(config, data, zooModel: true);
        var (_, trainRows, _) = Split(data, config.Training);
        if (data.Missing is { Cells.Count: > 0 })
        {
            MissingValueImputer.Fit(data, trainRows);
        }
    }

    /// <summary>At least two classes, and a zoo model that fits the sample shape and the memory available.</summary>
    private static void CheckClassesAndModel(RunConfiguration config, Dataset data, bool zooModel)
    {
        int classes = data.LabelNames.Count;
        if (classes < 2 || data.Labels.Distinct().Count() < 2)
        {
            throw new InvalidInputException($"{data.Source}: fewer than 2 distinct labels; a classifier needs at least 2.");
        }
        if (zooModel)
        {
            ModelFactory.CheckFits(config.Model, data.SampleShape);
            ModelMemory.Check(config.Model, data.SampleShape, classes);
        }
    }

    /// <summary>The subject-level folds and the run's split, refusals naming the settings (as Validate does).</summary>
    private static (SubjectFolds Folds, int[] Train, int[] Validation) Split(Dataset data, TrainingOptions t)
    {
        try
        {
            var folds = SubjectKFold.Create(data, t.Folds, t.Seed, t.StratifyByGroup);
            var (train, validation) = folds.Split(t.Fold);
            return (folds, train, validation);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is "folds" or "fold")
        {
            throw OptionErrors.WithParamName(e, TrainingPrefix + (e.ParamName == "folds" ? nameof(t.Folds) : nameof(t.Fold)));
        }
    }

    /// <summary>
    /// Checks a configuration's settings and how they fit together, without data: what <c>sweep plan</c> checks for
    /// every run, so that a bad axis value is refused when planned rather than when its run starts.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A setting is out of range or contradicts another: <see cref="ArgumentException.ParamName"/> is the setting's
    /// path in <see cref="RunConfiguration"/> (e.g. "Training.Epochs", "Model.Hidden", "Introspection.TopK"), and the
    /// message begins with it (see <see cref="OptionErrors"/>).
    /// </exception>
    public static void Validate(RunConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var t = config.Training;
        Validate(t);
        config.Introspection.Validate();
        config.Model.Validate();
        if (config.Introspection.Epochs?.Where(e => e < 0 || e >= t.Epochs).Select(e => (int?)e).FirstOrDefault() is int shown)
        {
            throw OptionErrors.Invalid(IntrospectionOptions.ParamPrefix + nameof(IntrospectionOptions.Epochs),
                $"epoch {shown} is not among the run's {t.Epochs} epoch{(t.Epochs == 1 ? "" : "s")} (0-based: 0–{t.Epochs - 1}).");
        }
        if (config.Tensorboard is { } tensorBoard)
        {
            if (string.IsNullOrWhiteSpace(tensorBoard))
            {
                throw OptionErrors.Invalid(nameof(RunConfiguration.Tensorboard), "the folder name is empty.");
            }
            try
            {
                TensorBoardSink.CheckFolder(tensorBoard);
            }
            catch (InvalidInputException e)
            {
                throw OptionErrors.Invalid(nameof(RunConfiguration.Tensorboard), e.Message);
            }
        }
        if (!t.Checkpoint && t.CheckpointEverySteps > 0)
        {
            // Both paths are named, so a front end shows both under its names ("--no-checkpoint and --checkpoint-every").
            throw new ArgumentException(
                $"{TrainingPrefix}{nameof(t.Checkpoint)} and {TrainingPrefix}{nameof(t.CheckpointEverySteps)} exclude each other: one writes no checkpoint, the other asks for more.",
                TrainingPrefix + nameof(t.Checkpoint));
        }
    }

    // Where TrainingOptions sits in a RunConfiguration: the prefix of its settings' parameter names.
    private const string TrainingPrefix = nameof(RunConfiguration.Training) + ".";

    private static void Validate(TrainingOptions t)
    {
        if (t.Epochs <= 0)
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.Epochs), t.Epochs, $"must be a positive integer (got {t.Epochs}).");
        }
        if (t.BatchSize <= 0)
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.BatchSize), t.BatchSize, $"must be a positive integer (got {t.BatchSize}).");
        }
        if (!(t.LearningRate > 0) || double.IsInfinity(t.LearningRate))
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.LearningRate), t.LearningRate, $"must be a positive number (got {t.LearningRate}).");
        }
        if (!(t.Momentum >= 0) || double.IsInfinity(t.Momentum))
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.Momentum), t.Momentum, $"must be 0 or positive (got {t.Momentum}).");
        }
        if (!(t.WeightDecay >= 0) || double.IsInfinity(t.WeightDecay))
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.WeightDecay), t.WeightDecay, $"must be 0 or positive (got {t.WeightDecay}).");
        }
        if (t.CheckpointEverySteps < 0)
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.CheckpointEverySteps), t.CheckpointEverySteps, $"must be 0 (epoch ends only) or a positive number of steps (got {t.CheckpointEverySteps}).");
        }
        if (t.Threads < 0)
        {
            throw OptionErrors.OutOfRange(TrainingPrefix + nameof(t.Threads), t.Threads, $"must be 0 (default) or positive (got {t.Threads}).");
        }
        if (t.Optimizer.ToLowerInvariant() is not ("adam" or "sgd"))
        {
            throw OptionErrors.Invalid(TrainingPrefix + nameof(t.Optimizer), $"unknown optimizer '{t.Optimizer}'; use adam or sgd.");
        }
    }

    /// <summary>Group names in sorted order; refuses the reserved name and warns about groups of one sample.</summary>
    private static List<string> GroupNames(Dataset data, List<string> warnings)
    {
        var counts = data.Groups.GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
        if (counts.ContainsKey(Partition.RowPartition.AllGroup))
        {
            throw new InvalidInputException(
                $"{data.Source}: group value '{Partition.RowPartition.AllGroup}' is reserved for the whole batch; rename it.");
        }
        foreach (var (group, n) in counts.Where(c => c.Value < 2))
        {
            var message = $"{data.Source}: group '{group}' has {n} sample; its spectra rest on one subject and no group test can use it.";
            if (!warnings.Any(w => w.Contains($"'{group}'", StringComparison.Ordinal)))
            {
                warnings.Add(message);
            }
        }
        return [.. counts.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Feature names the manifest lists in full; beyond this only the first 20 (<c>features</c> counts them all).</summary>
    private const int MaxRecordedFeatureNames = 2000;

    private static Dictionary<string, object> DataSummary(Dataset data, IReadOnlyList<string> groupNames, MissingValueImputer? imputer)
    {
        var summary = DataSummary(data, groupNames);
        if (data.Missing is { } m)
        {
            summary["missing"] = new Dictionary<string, object>
            {
                ["codes"] = m.Codes,
                ["empty_cells"] = true,
                ["policy"] = m.Policy == MissingValuePolicy.Drop ? "drop" : "impute",
                ["dropped_samples"] = m.DroppedSamples,
                ["dropped_subjects"] = m.DroppedSubjects,
                ["cells_by_feature"] = m.ByFeature,
                ["imputed_cells"] = m.Cells.Count,
                // This run's fold: means of the training samples' values.
                ["imputed_means"] = imputer?.Means ?? new Dictionary<string, double>(),
            };
        }
        return summary;
    }

    private static Dictionary<string, object> DataSummary(Dataset data, IReadOnlyList<string> groupNames) => new()
    {
        ["source"] = data.Source,
        ["samples"] = data.SampleCount,
        ["features"] = data.FeatureCount,
        // Which columns became features (a stray age or second label shows here); all of a table's, the first few of
        // an array's millions of generated names.
        ["feature_columns"] = (data.FeatureCount <= MaxRecordedFeatureNames ? data.FeatureNames : data.FeatureNames.Take(20)).ToList(),
        ["labels"] = data.LabelNames.Select((name, c) => new { label = name, count = data.Labels.Count(l => l == c) }).ToList(),
        ["groups"] = groupNames.Select(g => new { group = g, count = data.Groups.Count(x => x == g) }).ToList(),
        ["sha256"] = DatasetFingerprint.Of(data),
    };
}
