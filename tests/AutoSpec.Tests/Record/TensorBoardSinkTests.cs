using System.Text;
using System.Text.Json;
using AutoSpec.Record;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Record;

/// <summary>
/// <c>run --tensorboard DIR</c>: the event files are read back with a reader of the tests' own (framing, every CRC,
/// protobuf) and their scalars compared with the run's own tables.
/// </summary>
[Collection("cli")]
public class TensorBoardSinkTests
{
    private static readonly string[] Tiny =
        ["--epochs", "2", "--synth-samples", "300", "--batch-size", "32", "--threads", "1", "--permutations", "200"];

    [Fact]
    public void Crc32CGivesThePublishedCheckValue()
    {
        // RFC 3720 (iSCSI), appendix B.4: CRC-32C of the ASCII digits "123456789".
        Assert.Equal(0xE3069283u, Crc32C.Of(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public async Task EventFilesHoldTheRunsOwnValuesWithValidRecords()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("tiny");
        var tb = tmp.Combine("tb");
        // A folder of the user's with files in it: they stay as they are, the run adds its own file beside them.
        Directory.CreateDirectory(Path.Combine(tb, "tiny"));
        var notes = Path.Combine(tb, "notes.txt");
        var earlier = Path.Combine(tb, "tiny", "events.out.tfevents.earlier");
        File.WriteAllText(notes, "mine");
        File.WriteAllBytes(earlier, [1, 2, 3]);

        var (exit, _, err) = CliRunner.Run(["run", "--out", dir, "--tensorboard", tb, .. Tiny]);
        Assert.True(exit == 0, err);
        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(earlier));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))))
        {
            Assert.Equal(tb, manifest.RootElement.GetProperty("configuration").GetProperty("tensorboard").GetString());
        }

        var files = Directory.GetFiles(Path.Combine(tb, "tiny"), "events.out.tfevents.*").Where(f => f != earlier).ToList();
        var events = TensorBoardEvents.Read(Assert.Single(files));
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.All(events.Skip(1), e => Assert.Null(e.FileVersion));
        var started = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        Assert.All(events, e => Assert.InRange(e.WallTime, started, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));
        var written = new Dictionary<(string Tag, long Step), float>();
        foreach (var e in events)
        {
            foreach (var s in e.Scalars)
            {
                Assert.True(written.TryAdd((s.Tag, e.Step), s.Value), $"{s.Tag} at step {e.Step} written twice");
            }
        }

        // Every metric of every group, quantity, layer and step in metrics.parquet, and nothing else under those tags.
        var m = await ParquetColumns.ReadAsync(Path.Combine(dir, "metrics.parquet"));
        var metricNames = TensorBoardSink.Metrics.Select(x => x.Name).ToList();
        Assert.Contains("sigma1_normalised", metricNames);
        Assert.Contains("effective_rank", metricNames);
        var expected = new Dictionary<(string Tag, long Step), float>();
        var byKey = new Dictionary<(long Step, string Layer, string Quantity, string Metric), Dictionary<string, double>>();
        for (int i = 0; i < m["step"].Count; i++)
        {
            long step = (long)m["step"][i]!;
            string layer = (string)m["layer"][i]!, group = (string)m["group"][i]!, quantity = (string)m["quantity"][i]!;
            foreach (var metric in metricNames)
            {
                if (m[metric][i] is double v && double.IsFinite(v))
                {
                    expected[($"{quantity}/{layer}/{metric}/{group}", step)] = (float)v;
                    if (group != "all")
                    {
                        var key = (step, layer, quantity, metric);
                        byKey.TryAdd(key, []);
                        byKey[key][group] = v;
                    }
                }
            }
        }
        foreach (var ((step, layer, quantity, metric), groups) in byKey)
        {
            if (groups.TryGetValue("A", out var a) && groups.TryGetValue("B", out var b))
            {
                expected[($"{quantity}/{layer}/{metric}/diff/B-A", step)] = (float)(b - a);
            }
        }
        var spectral = written.Where(w => w.Key.Tag.Split('/')[0] is "grad" or "act" or "delta" or "weight").ToDictionary();
        Assert.Equal(expected.Count, spectral.Count);
        foreach (var (key, value) in expected)
        {
            Assert.True(spectral.TryGetValue(key, out var got), $"{key.Tag} at step {key.Step} missing");
            Assert.Equal(value, got);
        }
        Assert.Contains(expected.Keys, k => k.Tag == "grad/fc1/sigma1_normalised/diff/B-A");
        Assert.Contains(expected.Keys, k => k.Tag == "weight/fc2/effective_rank/all");

        // The curves: loss, accuracy and AUC of every split at its step.
        var c = await ParquetColumns.ReadAsync(Path.Combine(dir, "curves.parquet"));
        int curveValues = 0;
        for (int i = 0; i < c["step"].Count; i++)
        {
            long step = (long)c["step"][i]!;
            string split = (string)c["split"][i]!, group = (string)c["group"][i]!;
            if (group != "all")
            {
                split += "/" + group;
            }
            Assert.Equal((float)(double)c["loss"][i]!, written[($"loss/{split}", step)]);
            Assert.Equal((float)(double)c["accuracy"][i]!, written[($"accuracy/{split}", step)]);
            curveValues += 2;
            if (c["auc"][i] is double auc)
            {
                Assert.Equal((float)auc, written[($"auc/{split}", step)]);
                curveValues++;
            }
        }
        Assert.Equal(curveValues, written.Keys.Count(k => k.Tag.Split('/')[0] is "loss" or "accuracy" or "auc"));
        Assert.Contains(written.Keys, k => k.Tag == "accuracy/validation_group/B");
        Assert.Contains(written.Keys, k => k.Tag == "accuracy/validation");

        // The online permutation test: z and p of every window at its last step.
        var p = await ParquetColumns.ReadAsync(Path.Combine(dir, "permutations.parquet"));
        Assert.NotEmpty(p["z"]);
        for (int i = 0; i < p["z"].Count; i++)
        {
            string prefix = $"permutation/{p["layer"][i]}/{p["metric"][i]}/{p["group_b"][i]}-{p["group_a"][i]}/";
            long last = (long)p["last_step"][i]!;
            Assert.Equal((float)(double)p["z"][i]!, written[(prefix + "z", last)]);
            Assert.Equal((float)(double)p["p"][i]!, written[(prefix + "p", last)]);
        }
        Assert.Equal(2 * p["z"].Count, written.Keys.Count(k => k.Tag.StartsWith("permutation/", StringComparison.Ordinal)));
    }

    [Fact]
    public void RefusesADirectoryThatIsAFileBeforeTheRunStarts()
    {
        using var tmp = new TempFolder();
        var file = tmp.Combine("tb");
        File.WriteAllText(file, "not a folder");
        var dir = tmp.Combine("run");
        var (exit, _, err) = CliRunner.Run(["run", "--out", dir, "--tensorboard", file, .. Tiny]);
        Assert.Equal(2, exit);
        Assert.Contains("--tensorboard", err);
        Assert.Contains(file, err);
        Assert.Contains("is a file", err);
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.False(Directory.Exists(dir), "nothing is written for a refused run");
    }

    [Fact]
    public void AConfigurationFileSetsTheFolderAndTheCommandLineOverridesIt()
    {
        using var tmp = new TempFolder();
        var config = tmp.Combine("config.json");
        File.WriteAllText(config, $$"""{ "tensorboard": {{JsonSerializer.Serialize(tmp.Combine("from-file"))}}, "training": { "epochs": 1 } }""");
        var (exit, _, err) = CliRunner.Run(["run", "--config", config, "--out", tmp.Combine("a"), "--synth-samples", "300", "--threads", "1", "--permutations", "0"]);
        Assert.True(exit == 0, err);
        Assert.Single(Directory.GetFiles(tmp.Combine("from-file", "a"), "events.out.tfevents.*"));

        (exit, _, err) = CliRunner.Run(["run", "--config", config, "--out", tmp.Combine("b"), "--tensorboard", tmp.Combine("given"),
            "--synth-samples", "300", "--threads", "1", "--permutations", "0"]);
        Assert.True(exit == 0, err);
        Assert.Single(Directory.GetFiles(tmp.Combine("given", "b"), "events.out.tfevents.*"));
        Assert.False(Directory.Exists(tmp.Combine("from-file", "b")));
    }

    [Fact]
    public void ASweepNamesTheJsonFieldOfAFolderThatIsAFile()
    {
        using var tmp = new TempFolder();
        var file = tmp.Combine("tb");
        File.WriteAllText(file, "");
        var spec = $$"""{ "base": { "tensorboard": {{JsonSerializer.Serialize(file)}}, "training": { "epochs": 1 } }, "axes": { "training.seed": [0, 1] } }""";
        var e = Assert.Throws<InvalidInputException>(() => AutoSpec.Sweeps.SweepSpecification.Parse(spec, tmp.Combine("study.json")).Plan());
        Assert.Contains("tensorboard", e.Message);
        Assert.Contains("is a file", e.Message);
    }

    [Fact]
    public void RefusesAnEmptyDirectoryName()
    {
        using var tmp = new TempFolder();
        var (exit, _, err) = CliRunner.Run(["run", "--out", tmp.Combine("run"), "--tensorboard", " ", .. Tiny]);
        Assert.Equal(2, exit);
        Assert.Contains("--tensorboard", err);
    }
}
