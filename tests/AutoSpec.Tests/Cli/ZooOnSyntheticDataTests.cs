using AutoSpec.Data;
using AutoSpec.Models;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Cli;

/// <summary>Each model of the zoo trains a few steps on its matching synthetic data with the recorder on.</summary>
[Collection("cli")]
public class ZooOnSyntheticDataTests
{
    private static async Task<List<string>> RecordedLayers(string dir)
    {
        var metrics = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        return metrics["layer"].Cast<string>().Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [Theory]
    [InlineData("cnn1d", new[] { "conv1", "conv2", "fc" })]
    [InlineData("lstm", new[] { "encoder", "fc", "rnn.l0.hh", "rnn.l0.ih" })]
    [InlineData("bilstm", new[] { "encoder", "fc", "rnn.l0.hh", "rnn.l0.ih", "rnn.l0_reverse.hh", "rnn.l0_reverse.ih" })]
    [InlineData("transformer", new[] { "block1.linear1", "block1.linear2", "block1.self_attn.k_proj", "block1.self_attn.out_proj", "block1.self_attn.q_proj", "block1.self_attn.v_proj", "encoder", "fc" })]
    public async Task TimeCourseModelsTrainAndRecordEveryLayer(string kind, string[] layers)
    {
        using var tmp = new TempFolder();
        var data = TimeCourseGenerator.Generate(new TimeCourseOptions { Subjects = 40, Components = 6, TimePoints = 40 });
        var config = new RunConfiguration
        {
            Model = new ModelOptions { Kind = kind, Window = 10, Embedding = 8, RecurrentHidden = 6, Heads = 2, Channels = [4, 6], Kernel = 3 },
            Training = new TrainingOptions { Epochs = 1, BatchSize = 16 },
            Data = new DataOptions { Standardise = StandardiseScope.PerChannel },
            Out = tmp.Combine("run"),
        };
        var result = Trainer.Run(config, data, []);
        Assert.Equal(layers, await RecordedLayers(result.Directory));
    }

    [Fact]
    public async Task VolumeModelTrainsAndRecordsEveryLayer()
    {
        using var tmp = new TempFolder();
        var data = VolumeGenerator.Generate(new VolumeOptions { Subjects = 20, SizeX = 8, SizeY = 8, SizeZ = 8 });
        var config = new RunConfiguration
        {
            Model = new ModelOptions { Kind = "cnn3d", Channels = [3], Kernel = 3 },
            Training = new TrainingOptions { Epochs = 1, BatchSize = 8 },
            Data = new DataOptions { Standardise = StandardiseScope.Global },
            Out = tmp.Combine("run"),
        };
        var result = Trainer.Run(config, data, []);
        Assert.Equal(["conv1", "fc"], await RecordedLayers(result.Directory));
    }

    [Fact]
    public async Task RealConnectivityTablePivotedRunsThroughTheCli()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var table = SharedData.Path("degeneration_connectivity", "connectivity.tsv");
        var (exit, _, err) = CliRunner.Run("run", "--data", table, "--label", "group", "--group", "session",
            "--subject", "subject", "--session", "session", "--pivot", "regions", "--value", "connectivity",
            "--epochs", "2", "--out", dir);
        Assert.True(exit == 0, err);
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement;
        Assert.Equal(157, manifest.GetProperty("data").GetProperty("samples").GetInt32());
        Assert.Equal(19, manifest.GetProperty("data").GetProperty("features").GetInt32());
        // 79 subjects, each in exactly one fold; both sessions of a subject on the same side.
        Assert.Equal(79, manifest.GetProperty("folds").EnumerateObject().Count());
        var spectra = await ParquetColumns.ReadAsync(Path.Combine(dir, "spectra.parquet"));
        Assert.Equal(["all", "ses-post", "ses-pre"], spectra["group"].Cast<string>().Distinct().Order(StringComparer.Ordinal));
    }
}
