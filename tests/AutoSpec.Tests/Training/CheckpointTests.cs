using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Tests.Support;
using AutoSpec.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Training;

/// <summary>
/// A checkpoint restores model, optimiser and torch's random state so that training continues bit for bit; leaving
/// out any part of it changes the numbers (so equality cannot come from training being insensitive to it).
/// </summary>
public class CheckpointTests
{
    private static readonly RecorderPosition NoRows = new(new Dictionary<string, int>(), new Dictionary<string, long>(), 0);

    private static nn.Module<Tensor, Tensor> Model() => nn.Sequential(
        ("fc1", nn.Linear(6, 16)), ("act", nn.ReLU()), ("drop", nn.Dropout(0.3)), ("fc2", nn.Linear(16, 2)));

    private static optim.Optimizer Optimizer(nn.Module model, string kind) => kind == "adam"
        ? optim.Adam(model.parameters(), 0.01)
        : optim.SGD(model.parameters(), 0.05, momentum: 0.9);

    /// <summary>Losses of <paramref name="steps"/> training steps (dropout draws from torch's generator).</summary>
    private static float[] Train(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, int steps, int offset)
    {
        var losses = new float[steps];
        model.train();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)(1000 + offset + i));
            var x = randn([32, 6], generator: generator);
            var y = (x[.., 0] > 0).to(ScalarType.Int64);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            losses[i] = loss.item<float>();
        }
        return losses;
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void RestoringACheckpointContinuesBitForBit(string kind)
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine(TrainingCheckpoint.FileName);
        random.manual_seed(5);
        using var model = Model();
        using var optimizer = Optimizer(model, kind);
        Train(model, optimizer, 6, 0);
        TrainingCheckpoint.Capture(model, optimizer, 1, 0, 6, [], null, NoRows).Save(path);
        var expected = Train(model, optimizer, 6, 6);

        float[] Resumed(bool restoreModel, bool restoreOptimizer, bool restoreRandom)
        {
            random.manual_seed(99);
            using var m = Model();
            using var o = Optimizer(m, kind);
            var full = TrainingCheckpoint.Load(path);
            var partial = new TrainingCheckpoint
            {
                Epoch = full.Epoch,
                BatchStart = full.BatchStart,
                Step = full.Step,
                Order = full.Order,
                Last = full.Last,
                Recorder = full.Recorder,
                Model = restoreModel ? full.Model : Capture(m, o).Model,
                Optimizer = restoreOptimizer ? full.Optimizer : Capture(m, o).Optimizer,
                TorchRandom = restoreRandom ? full.TorchRandom : Capture(m, o).TorchRandom,
            };
            partial.Restore(m, o, path);
            return Train(m, o, 6, 6);
        }

        Assert.Equal(expected, Resumed(true, true, true));
        Assert.NotEqual(expected, Resumed(false, true, true));
        Assert.NotEqual(expected, Resumed(true, false, true));
        Assert.NotEqual(expected, Resumed(true, true, false));
    }

    private static TrainingCheckpoint Capture(nn.Module model, optim.Optimizer optimizer) =>
        TrainingCheckpoint.Capture(model, optimizer, 0, 0, 0, [], null, NoRows);

    [Fact]
    public void PositionAndRecorderStateRoundTrip()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine(TrainingCheckpoint.FileName);
        using var model = Model();
        using var optimizer = Optimizer(model, "adam");
        var position = new RecorderPosition(new Dictionary<string, int> { ["spectra"] = 3 }, new Dictionary<string, long> { ["spectra"] = 1234 }, 17);
        var last = new EpochResult(0.5, 0.75, null, null, null, null);
        TrainingCheckpoint.Capture(model, optimizer, 2, 40, 21, [4, 2, 0, 1, 3], last, position).Save(path);
        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal((2, 40, 21L), (loaded.Epoch, loaded.BatchStart, loaded.Step));
        Assert.Equal([4, 2, 0, 1, 3], loaded.Order);
        Assert.Equal(last, loaded.Last);
        Assert.Equal(3, loaded.Recorder.Parts["spectra"]);
        Assert.Equal(1234, loaded.Recorder.Rows["spectra"]);
        Assert.Equal(17, loaded.Recorder.RecordedSteps);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Theory]
    [InlineData("truncate", "truncated")]
    [InlineData("flip", "checksum")]
    [InlineData("garbage", "not an AutoSpec checkpoint")]
    public void ADamagedCheckpointIsRefusedWithItsPath(string damage, string reason)
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine(TrainingCheckpoint.FileName);
        using var model = Model();
        using var optimizer = Optimizer(model, "adam");
        Capture(model, optimizer).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncate" => bytes[..(bytes.Length / 2)],
            "flip" => [.. bytes[..100], (byte)(bytes[100] ^ 1), .. bytes[101..]],
            _ => "not a checkpoint at all"u8.ToArray(),
        });
        var e = Assert.Throws<InvalidInputException>(() => TrainingCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefused()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine(TrainingCheckpoint.FileName);
        using var model = Model();
        using var optimizer = Optimizer(model, "adam");
        Capture(model, optimizer).Save(path);
        using var other = nn.Sequential(("fc1", nn.Linear(6, 8)), ("fc2", nn.Linear(8, 2)));
        using var otherOptimizer = Optimizer(other, "adam");
        var e = Assert.Throws<InvalidInputException>(() => TrainingCheckpoint.Load(path).Restore(other, otherOptimizer, path));
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void TheIntrospectionStateRoundTripsAndACheckpointWithoutItIsRefusedWhileThePermutationTestIsOn()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine(TrainingCheckpoint.FileName);
        using var model = Model();
        using var optimizer = Optimizer(model, "adam");
        using var on = new IntrospectionProbe(model, new IntrospectionOptions(), ["A", "B"]);
        TrainingCheckpoint.Capture(model, optimizer, 1, 0, 6, [], null, NoRows, on).Save(path);
        var loaded = TrainingCheckpoint.Load(path);
        Assert.Equal(on.SaveState(), loaded.Introspection);
        loaded.Restore(model, optimizer, path, on);

        // Without introspection state the epoch's window may have been open, so the permutation table could not be
        // made whole.
        Capture(model, optimizer).Save(path);
        var old = TrainingCheckpoint.Load(path);
        Assert.Null(old.Introspection);
        var e = Assert.Throws<InvalidInputException>(() => old.Restore(model, optimizer, path, on));
        Assert.Contains(path, e.Message);
        Assert.Contains("open window of the online permutation test", e.Message);
        using var off = new IntrospectionProbe(model, new IntrospectionOptions { Permutations = 0 }, ["A", "B"]);
        old.Restore(model, optimizer, path, off);

        // A state of another configuration (the permutation test off when it was written) does not fit.
        TrainingCheckpoint.Capture(model, optimizer, 1, 0, 6, [], null, NoRows, off).Save(path);
        e = Assert.Throws<InvalidInputException>(() => TrainingCheckpoint.Load(path).Restore(model, optimizer, path, on));
        Assert.Contains("introspection state does not fit", e.Message);
    }
}
