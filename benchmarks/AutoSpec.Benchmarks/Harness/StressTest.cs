using System.Diagnostics;
using System.Text;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Models;
using AutoSpec.Training;
using TorchSharp;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// Many short trainings of every zoo model in one process, through the product's <see cref="Trainer"/> (capture,
/// spectra, online permutation test, Parquet, checkpoints), counting the ones that fail: an exception, or a final loss
/// that is not finite. Faults that depend on what the process did before (a native object freed while libtorch
/// still uses it) show up only over many trainings in one process, with other threads allocating and collecting;
/// <c>--gc-pressure true</c> adds a thread that forces full collections and finalisers all the time.
/// </summary>
internal static class StressTest
{
    /// <summary>One zoo model with its synthetic data and settings.</summary>
    private sealed record Job(string Model, Dataset Data, RunConfiguration Config);

    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var jobs = Jobs(s).Where(j => s.StressModels.Contains(j.Model)).ToList();
        var runs = Path.Combine(s.WorkDirectory, "stress");
        var failures = new List<string>();
        var perModel = jobs.ToDictionary(j => j.Model, _ => (Trainings: 0, Failures: 0, Seconds: 0.0));
        using var stop = new CancellationTokenSource();
        var collector = s.GcPressure ? StartCollector(stop.Token) : null;
        var clock = Stopwatch.StartNew();
        int done = 0;
        for (int i = 0; i < s.Trainings && clock.Elapsed < s.StressTimeLimit; i++, done++)
        {
            var job = jobs[i % jobs.Count];
            var config = job.Config with
            {
                Training = job.Config.Training with { Seed = i, Threads = s.Threads },
                Introspection = job.Config.Introspection with { Background = s.StressBackground },
                Model = job.Config.Model with { Convolution = s.StressConvolution },
                Out = Path.Combine(runs, i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            var started = clock.Elapsed;
            string? failure = null;
            try
            {
                var result = Trainer.Run(config, job.Data, []);
                if (!double.IsFinite(result.Final.TrainLoss))
                {
                    failure = $"final training loss {result.Final.TrainLoss}";
                }
            }
            catch (Exception e)
            {
                failure = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
            finally
            {
                if (Directory.Exists(config.Out))
                {
                    Directory.Delete(config.Out, recursive: true);
                }
            }
            var (trainings, failed, seconds) = perModel[job.Model];
            perModel[job.Model] = (trainings + 1, failed + (failure is null ? 0 : 1), seconds + (clock.Elapsed - started).TotalSeconds);
            if (failure is not null)
            {
                failures.Add($"training {i} ({job.Model}, seed {i}): {failure}");
                log.WriteLine($"stress: FAILED {failures[^1]}");
            }
            if ((i + 1) % 100 == 0)
            {
                log.WriteLine($"stress: {i + 1} trainings, {failures.Count} failed, {clock.Elapsed.TotalMinutes:F1} min");
            }
        }
        stop.Cancel();
        collector?.Join();

        var report = new StringBuilder();
        report.AppendLine($"{done} trainings in one process ({clock.Elapsed.TotalMinutes:F1} min; torch threads {torch.get_num_threads()}, background thread {s.StressBackground}, forced collections {(s.GcPressure ? "on" : "off")}, convolution {s.StressConvolution}"
            + (done < s.Trainings ? $"; stopped at the time limit of {s.StressTimeLimit.TotalMinutes:F0} min, {s.Trainings} asked" : "") + ").").AppendLine();
        report.AppendLine("| model | data | trainings | failed | s per training |");
        report.AppendLine("|---|---|---:|---:|---:|");
        foreach (var job in jobs)
        {
            var (trainings, failed, seconds) = perModel[job.Model];
            report.AppendLine($"| {job.Model} | {job.Data.SampleCount} × {string.Join("×", job.Data.SampleShape)} | {trainings} | {failed} | {(trainings > 0 ? seconds / trainings : 0):F2} |");
        }
        report.AppendLine().AppendLine($"Failures: {failures.Count}.");
        foreach (var f in failures.Take(20))
        {
            report.AppendLine($"- {f}");
        }
        return report.ToString();
    }

    /// <summary>A thread that keeps forcing full collections and running finalisers, with garbage to collect.</summary>
    private static Thread StartCollector(CancellationToken stop)
    {
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[64 * 1024];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "stress collector" };
        thread.Start();
        return thread;
    }

    /// <summary>Every zoo model on small synthetic data of its kind: one epoch of a few steps each.</summary>
    private static IEnumerable<Job> Jobs(BenchmarkSettings s)
    {
        var introspection = new IntrospectionOptions { Permutations = 100 };
        var training = new TrainingOptions { Epochs = 1, BatchSize = 16, Folds = 4 };
        var table = GaussianMixtureGenerator.Generate(new GaussianMixtureOptions { Samples = 96, Features = 16 });
        var series = TimeCourseGenerator.Generate(new TimeCourseOptions { Subjects = 40, Components = 6, TimePoints = 40 });
        var volumes = VolumeGenerator.Generate(new VolumeOptions { Subjects = 24, SizeX = 8, SizeY = 8, SizeZ = 8 });
        RunConfiguration Config(ModelOptions model, StandardiseScope scope) => new()
        {
            Model = model,
            Training = training,
            Introspection = introspection,
            Data = new DataOptions { Standardise = scope },
            Overwrite = true,
        };
        yield return new Job("mlp", table, Config(new ModelOptions { Kind = "mlp", Hidden = [16, 8], Activation = "leaky_relu" }, StandardiseScope.PerFeature));
        foreach (var kind in new[] { "cnn1d", "lstm", "bilstm", "gru", "transformer" })
        {
            var model = new ModelOptions { Kind = kind, Window = 10, Embedding = 8, RecurrentHidden = 6, Heads = 2, Channels = [4, 6], Kernel = 3, Activation = "elu" };
            yield return new Job(kind, series, Config(model, StandardiseScope.PerChannel));
        }
        yield return new Job("cnn3d", volumes, Config(new ModelOptions { Kind = "cnn3d", Channels = [3, 4], Kernel = 3 }, StandardiseScope.Global));
    }
}
