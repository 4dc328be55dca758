using System.Text.Json;
using AutoSpec.Data;
using AutoSpec.Introspection;
using AutoSpec.Models;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// Introspection on a background thread, with its spectra computed by several worker threads, records what it
/// records in the training thread.
/// </summary>
[Collection("cli")]
public class BackgroundIntrospectionTests
{
    [Fact]
    public async Task MlpRunsThroughTheCliGiveTheSameTablesEitherWay()
    {
        using var tmp = new TempFolder();
        // "helps": one training thread and auto workers, so the training thread computes spectra while it waits.
        foreach (var (name, mode, workers) in new[] { ("off", "off", "1"), ("on", "on", "1"), ("workers", "on", "3"), ("helps", "on", "0") })
        {
            var run = CliRunner.Run(["run", "--out", tmp.Combine(name), "--background", mode, "--spectra-workers", workers, "--threads", "1",
                "--epochs", "3", "--synth-samples", "300", "--batch-size", "32", "--run-id", "r", "--permutations", "20",
                "--checkpoint-every", "4", "--dump-steps", "5"]);
            Assert.True(run.Exit == 0, run.Err);
        }
        Assert.Equal(0, Threads(tmp.Combine("on"), "training_computes_spectra"));
        Assert.Equal(1, Threads(tmp.Combine("helps"), "training_computes_spectra"));
        await AssertSameTables(tmp.Combine("off"), tmp.Combine("helps"));
        Assert.Equal(0, Threads(tmp.Combine("off"), "background"));
        Assert.True(Threads(tmp.Combine("on"), "background") >= 1);
        Assert.Equal(1, Threads(tmp.Combine("on"), "spectra_workers"));
        Assert.Equal(3, Threads(tmp.Combine("workers"), "spectra_workers"));
        await AssertSameTables(tmp.Combine("off"), tmp.Combine("on"));
        await AssertSameTables(tmp.Combine("off"), tmp.Combine("workers"));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("cnn1d")]
    public async Task ZooModelsGiveTheSameTablesOnSeveralSpectraWorkersAsInTheTrainingThread(string kind)
    {
        using var tmp = new TempFolder();
        var data = TimeCourseGenerator.Generate(new TimeCourseOptions { Subjects = 40, Components = 6, TimePoints = 40 });
        foreach (var (mode, workers) in new[] { (BackgroundMode.Off, 1), (BackgroundMode.On, 3) })
        {
            var config = new RunConfiguration
            {
                Model = new ModelOptions { Kind = kind, Window = 10, Embedding = 8, RecurrentHidden = 6, Channels = [4, 6], Kernel = 3 },
                Training = new TrainingOptions { Epochs = 2, BatchSize = 16 },
                Data = new DataOptions { Standardise = StandardiseScope.PerChannel },
                Introspection = new IntrospectionOptions { Background = mode, SpectraWorkers = workers, SplitGates = kind == "lstm", Permutations = 20 },
                Out = tmp.Combine(mode.ToString()),
                RunId = "r",
            };
            Trainer.Run(config, data, []);
        }
        await AssertSameTables(tmp.Combine("Off"), tmp.Combine("On"));
    }

    private static async Task AssertSameTables(string off, string on)
    {
        foreach (var table in new[] { "spectra", "metrics", "curves", "permutations" })
        {
            var a = await ParquetColumns.ReadAsync(Path.Combine(off, table + ".parquet"));
            var b = await ParquetColumns.ReadAsync(Path.Combine(on, table + ".parquet"));
            Assert.Equal(a.Keys, b.Keys);
            Assert.True(a[a.Keys.First()].Count > 0, $"{table} is empty");
            foreach (var column in a.Keys)
            {
                Assert.Equal(a[column].Count, b[column].Count);
                for (int i = 0; i < a[column].Count; i++)
                {
                    // The background thread may run torch on another thread count than training: products may round
                    // differently in the last bits, nothing more.
                    if (a[column][i] is double x && b[column][i] is double y)
                    {
                        Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{table}.{column}[{i}]: {x} against {y}");
                    }
                    else
                    {
                        Assert.Equal(a[column][i], b[column][i]);
                    }
                }
            }
        }
    }

    private static int Threads(string dir, string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement
            .GetProperty("threads").GetProperty(name).GetInt32();
}
