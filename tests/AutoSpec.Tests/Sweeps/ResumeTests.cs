using System.Diagnostics;
using System.Text.Json;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;
using AutoSpec.Training;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Sweeps;

/// <summary>
/// A run interrupted after a checkpoint resumes from it (model, optimiser, random states, position, recorder parts)
/// and ends with the same tables as an uninterrupted run with the same seed, without a step lost or written twice.
/// </summary>
[Collection("cli")]
public class ResumeTests
{
    private const string Spec = """
        {
          "base": { "training": { "epochs": 6, "batch_size": 20, "checkpoint_every_steps": 7 },
                    "data": { "synthetic": { "samples": 200 } } },
          "axes": { "training.seed": [4] }
        }
        """;

    private static readonly string[] Tables = ["spectra", "metrics", "curves", "permutations"];

    [Fact]
    public async Task AKilledRunResumesFromItsCheckpointAndEqualsAnUninterruptedOne()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, Spec);
        Assert.Equal(0, CliRunner.Run("sweep", "plan", path).Exit);
        var runDir = tmp.Combine("study", "runs", "seed-4");

        // Kill the worker process once it has written a checkpoint beyond the first one.
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "sweep", "run", path, "--task-index", "0", "--threads", "1" })
        {
            start.ArgumentList.Add(a);
        }
        var checkpoint = Path.Combine(runDir, TrainingCheckpoint.FileName);
        using (var worker = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            while (!worker.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60) && StepOf(checkpoint) < 12)
            {
                Thread.Sleep(10);
            }
            Assert.False(worker.HasExited, "the run ended before it could be killed");
            worker.Kill(entireProcessTree: true);
            worker.WaitForExit();
        }
        Assert.Equal("running", SweepFolder.RunStatus(runDir));
        long killedAt = StepOf(checkpoint);
        Assert.True(killedAt >= 12);

        var (exit, output, err) = CliRunner.Run("sweep", "run", path, "--task-index", "0");
        Assert.True(exit == 0, output + err);
        Assert.Contains("resuming it from its checkpoint", err);
        Assert.Equal("complete", SweepFolder.RunStatus(runDir));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json"))))
        {
            var resumed = manifest.RootElement.GetProperty("resumed");
            Assert.Equal(1, resumed.GetArrayLength());
            long from = resumed[0].GetProperty("from_step").GetInt64();
            Assert.True(from >= killedAt && from > 0, $"resumed from step {from}, killed after a checkpoint at {killedAt}");
            Assert.Equal("running", resumed[0].GetProperty("previous_status").GetString());
        }
        Assert.False(File.Exists(checkpoint));
        Assert.False(Directory.Exists(Path.Combine(runDir, "parts")));

        var reference = tmp.Combine("reference");
        Assert.Equal(0, CliRunner.Run("run", "--config", tmp.Combine("study", "configs", "seed-4.json"), "--out", reference, "--run-id", "seed-4").Exit);
        await AssertSameTables(reference, runDir);
    }

    /// <summary>The step of a checkpoint file, or -1 while there is none (or it is being replaced).</summary>
    private static long StepOf(string checkpoint)
    {
        try
        {
            return File.Exists(checkpoint) ? TrainingCheckpoint.Load(checkpoint).Step : -1;
        }
        catch (Exception e) when (e is InvalidInputException or IOException)
        {
            return -1;
        }
    }

    private static async Task AssertSameTables(string expectedRun, string actualRun)
    {
        foreach (var table in Tables)
        {
            var a = await ParquetColumns.ReadAsync(Path.Combine(actualRun, table + ".parquet"));
            var b = await ParquetColumns.ReadAsync(Path.Combine(expectedRun, table + ".parquet"));
            Assert.Equal(b.Keys, a.Keys);
            foreach (var column in a.Keys)
            {
                Assert.True(b[column].SequenceEqual(a[column]), $"{table}.{column} differs");
            }
        }
    }

    /// <summary>Cancels the run after a given step (the next step then stops it, as Ctrl+C does).</summary>
    private sealed class StopAfter(long step, CancellationTokenSource cancel) : ITrainingProgress
    {
        public void Start(long totalSteps, int epochs)
        {
        }

        public void Step(int epoch, long s, double loss)
        {
            if (s == step)
            {
                cancel.Cancel();
            }
        }

        public void Epoch(int epoch, EpochResult result)
        {
        }
    }

    private static RunConfiguration Config(string outDir, int? permutationWindow = null, BackgroundMode background = BackgroundMode.Off) => new()
    {
        Out = outDir,
        RunId = "r",
        Data = new DataOptions { Synthetic = new GaussianMixtureOptions { Samples = 200, Features = 8 } },
        Training = new TrainingOptions { Epochs = 4, BatchSize = 25, Seed = 2, CheckpointEverySteps = 3 },
        Introspection = new IntrospectionOptions { Permutations = 30, PermutationWindow = permutationWindow, Background = background },
    };

    /// <summary>A model with dropout, so that the resumed steps depend on torch's restored random state.</summary>
    private static nn.Module<Tensor, Tensor> DropoutModel() => nn.Sequential(
        ("fc1", nn.Linear(8, 16)), ("act", nn.ReLU()), ("drop", nn.Dropout(0.4)), ("fc2", nn.Linear(16, 2)));

    /// <summary>
    /// Also compares permutations.parquet: an epoch-end checkpoint must find the epoch's window already tested, and a
    /// checkpoint inside a window must carry its blocks.
    /// </summary>
    [Theory]
    [InlineData(4, null, 3L, true, BackgroundMode.Off)] // mid-epoch: the checkpoint of step 3, inside epoch 0's window
    [InlineData(13, null, 14L, false, BackgroundMode.Off)] // the end of epoch 1 (7 steps per epoch): the epoch-end checkpoint of step 14
    [InlineData(7, 5, 7L, true, BackgroundMode.Off)] // windows of 5 steps: the epoch-end checkpoint of step 7, inside window 5–9
    [InlineData(10, 5, 9L, true, BackgroundMode.Off)] // windows of 5 steps: the mid-epoch checkpoint of step 9, inside window 5–9
    // With the background thread the checkpoints are written by it, in order with the steps' rows; a cancelled run
    // lets it finish what it was given, so the same checkpoints are on disk.
    [InlineData(4, null, 3L, true, BackgroundMode.On)]
    [InlineData(13, null, 14L, false, BackgroundMode.On)]
    [InlineData(10, 5, 9L, true, BackgroundMode.On)]
    public async Task AnInterruptedRunWithDropoutResumesBitForBit(long stopAfter, int? window, long checkpointAt, bool windowOpen, BackgroundMode background)
    {
        using var tmp = new TempFolder();
        var data = GaussianMixtureGenerator.Generate(Config("x").Data.Synthetic);
        var reference = Trainer.Run(Config(tmp.Combine("reference"), window, background), data, [], model: DropoutModel);

        var dir = tmp.Combine("interrupted");
        Interrupt(Config(dir, window, background), data, stopAfter);
        Assert.Equal("failed", SweepFolder.RunStatus(dir));
        var checkpoint = TrainingCheckpoint.Load(Path.Combine(dir, TrainingCheckpoint.FileName));
        Assert.Equal(checkpointAt, checkpoint.Step);
        Assert.Equal(windowOpen, HoldsOpenWindow(checkpoint, window));

        var resumed = Trainer.Run(Config(dir, window, background), data, [], model: DropoutModel);
        Assert.Equal(reference.RecordedSteps, resumed.RecordedSteps);
        Assert.Equal(reference.Final, resumed.Final);
        await AssertSameTables(reference.Directory, dir);

        // Not by accident: the same resume with torch's generator state in the checkpoint replaced (dropout masks
        // then differ from the step after the checkpoint on) gives other numbers.
        var control = tmp.Combine("control");
        Interrupt(Config(control, window), data, stopAfter);
        var path = Path.Combine(control, TrainingCheckpoint.FileName);
        var saved = TrainingCheckpoint.Load(path);
        random.manual_seed(12345);
        using (var other = random.get_rng_state())
        {
            Copy(saved, other.data<byte>().ToArray(), saved.Introspection).Save(path);
        }
        Trainer.Run(Config(control, window), data, [], model: DropoutModel);
        var altered = await ParquetColumns.ReadAsync(Path.Combine(control, "curves.parquet"));
        var expected = await ParquetColumns.ReadAsync(Path.Combine(reference.Directory, "curves.parquet"));
        Assert.False(altered["loss"].SequenceEqual(expected["loss"]));

        if (windowOpen)
        {
            // Nor is the permutation table equal by accident: resuming with the open window left out of the checkpoint
            // (what happened before it was stored) tests that window on fewer steps.
            var lost = tmp.Combine("lost-window");
            Interrupt(Config(lost, window), data, stopAfter);
            path = Path.Combine(lost, TrainingCheckpoint.FileName);
            saved = TrainingCheckpoint.Load(path);
            Copy(saved, saved.TorchRandom, WithoutOpenWindow(window)).Save(path);
            Trainer.Run(Config(lost, window), data, [], model: DropoutModel);
            var table = await ParquetColumns.ReadAsync(Path.Combine(lost, "permutations.parquet"));
            var uninterrupted = await ParquetColumns.ReadAsync(Path.Combine(reference.Directory, "permutations.parquet"));
            Assert.False(uninterrupted["steps"].SequenceEqual(table["steps"]));
        }
    }

    private static void Interrupt(RunConfiguration config, Dataset data, long stopAfter)
    {
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            Trainer.Run(config, data, [], new StopAfter(stopAfter, cancel), cancel: cancel.Token, model: DropoutModel));
    }

    private static TrainingCheckpoint Copy(TrainingCheckpoint saved, byte[] torchRandom, byte[]? introspection) => new()
    {
        Epoch = saved.Epoch,
        BatchStart = saved.BatchStart,
        Step = saved.Step,
        Order = saved.Order,
        Last = saved.Last,
        Recorder = saved.Recorder,
        Model = saved.Model,
        Optimizer = saved.Optimizer,
        TorchRandom = torchRandom,
        Introspection = introspection,
    };

    /// <summary>
    /// Whether the checkpoint's introspection state, restored into a probe, has a window open: completing the probe
    /// then tests it, and the test's rows reach the sink.
    /// </summary>
    private static bool HoldsOpenWindow(TrainingCheckpoint checkpoint, int? window)
    {
        using var model = DropoutModel();
        var sink = new MemorySink();
        using var probe = new IntrospectionProbe(model, Config("x", window).Introspection, Config("x").Data.Synthetic!.Groups, sinks: [sink]);
        probe.RestoreState(checkpoint.Introspection!);
        probe.Complete();
        return sink.Permutations.Count > 0;
    }

    /// <summary>The introspection state of a fresh probe (no window open).</summary>
    private static byte[] WithoutOpenWindow(int? window)
    {
        using var model = DropoutModel();
        using var probe = new IntrospectionProbe(model, Config("x", window).Introspection, Config("x").Data.Synthetic!.Groups);
        return probe.SaveState();
    }

    [Fact]
    public void AChangedConfigurationRefusesToResumeNamingTheSetting()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        Interrupt(dir);
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "4", "--synth-samples", "200", "--seed", "2", "--lr", "0.01");
        Assert.Equal(2, exit);
        Assert.Contains("training.learning_rate (recorded 0.001, given 0.01)", err);
        Assert.Contains("--overwrite", err);
        Assert.Equal("failed", SweepFolder.RunStatus(dir));

        // The same configuration resumes (the checkpoint schedule and thread count may change).
        (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "4", "--synth-samples", "200", "--seed", "2", "--checkpoint-every", "5");
        Assert.True(exit == 0, err);
        Assert.Equal("complete", SweepFolder.RunStatus(dir));
    }

    [Fact]
    public void EditedDataOfTheSameSizesRefusesToResume()
    {
        using var tmp = new TempFolder();
        var data = GaussianMixtureGenerator.Generate(Config("x").Data.Synthetic);
        var dir = tmp.Combine("run");
        Interrupt(Config(dir), data, 4);
        // One value changed: sizes, labels, groups and split are all the same.
        data.Features[17] += 1f;
        var e = Assert.Throws<InvalidInputException>(() => Trainer.Run(Config(dir), data, [], model: DropoutModel));
        Assert.Contains("the data's content changed", e.Message);
        Assert.Contains("--overwrite", e.Message);
        data.Features[17] -= 1f;
        Assert.Equal("complete", SweepFolder.RunStatus(Trainer.Run(Config(dir), data, [], model: DropoutModel).Directory));
    }

    [Fact]
    public void ACorruptCheckpointIsRefusedAndOverwriteStartsOver()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        Interrupt(dir);
        var checkpoint = Path.Combine(dir, TrainingCheckpoint.FileName);
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length - 10)]);
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "4", "--synth-samples", "200", "--seed", "2");
        Assert.Equal(2, exit);
        Assert.Contains($"checkpoint '{checkpoint}' is unusable: truncated", err);
        Assert.Equal("failed", SweepFolder.RunStatus(dir));

        // --overwrite starts over.
        (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "4", "--synth-samples", "200", "--seed", "2", "--overwrite");
        Assert.True(exit == 0, err);
        Assert.Equal("complete", SweepFolder.RunStatus(dir));
    }

    [Fact]
    public void AnUnfinishedRunWithoutCheckpointIsRefusedWithoutOverwrite()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        Interrupt(dir);
        File.Delete(Path.Combine(dir, TrainingCheckpoint.FileName));
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "4", "--synth-samples", "200", "--seed", "2");
        Assert.Equal(2, exit);
        Assert.Contains("without a checkpoint", err);
    }

    /// <summary>A CLI-configured run (4 epochs, 200 samples, seed 2) cancelled during its second epoch.</summary>
    private static void Interrupt(string dir)
    {
        var config = new RunConfiguration
        {
            Out = dir,
            Data = new DataOptions { Synthetic = new GaussianMixtureOptions { Samples = 200, Seed = 2 } },
            Training = new TrainingOptions { Epochs = 4, Seed = 2 },
        };
        var data = GaussianMixtureGenerator.Generate(config.Data.Synthetic);
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(config, data, [], new StopAfter(4, cancel), cancel: cancel.Token));
        Assert.True(File.Exists(Path.Combine(dir, TrainingCheckpoint.FileName)));
    }
}
