using System.Text;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>Options that contradict each other, or values that cannot apply, are refused instead of ignored.</summary>
[Collection("cli")]
public sealed class ConflictingOptionsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Err) Run(params string[] args) =>
        CliRunner.Run(["run", "--out", _temp.Combine("run"), "--synth-samples", "100", .. args]);

    [Theory]
    [InlineData(new[] { "--seeds", "0,1", "--seed", "3" }, "--seed and --seeds")]
    [InlineData(new[] { "--no-checkpoint", "--checkpoint-every", "5" }, "--no-checkpoint and --checkpoint-every")]
    [InlineData(new[] { "--all-folds", "--fold", "2" }, "--fold and --all-folds")]
    [InlineData(new[] { "--epochs", "1", "--record-epochs", "99" }, "--record-epochs", "epoch 99")]
    public void ContradictionsAreRefused(string[] args, params string[] mentions)
    {
        var r = Run(args);

        Refusal.AssertErrorLine(r, mentions);
        Assert.False(Directory.Exists(_temp.Combine("run")));
    }

    [Fact]
    public void AKernelLongerThanTheSampleIsRefused()
    {
        var r = CliRunner.Run("data", "synth", "timecourses", "--out", _temp.Combine("tc"));
        Assert.True(r.Exit == 0, r.Err);
        var data = _temp.Combine("tc", "timecourses.npy");
        var subjects = _temp.Combine("tc", "subjects.csv");

        r = CliRunner.Run("run", "--data", data, "--subjects", subjects, "--label", "label", "--model", "cnn1d", "--kernel", "100000",
            "--epochs", "1", "--out", _temp.Combine("run"));

        Refusal.AssertErrorLine(r, "--kernel 100000", "time points");
    }

    [Fact]
    public void AnIdColumnAsLabelIsRefused()
    {
        var csv = new StringBuilder("id,g,f1\n");
        for (int i = 0; i < 120; i++)
        {
            csv.Append($"s{i},{(i % 2 == 0 ? "a" : "b")},{i * 0.1}\n");
        }
        File.WriteAllText(_temp.Combine("d.csv"), csv.ToString());

        var r = CliRunner.Run("run", "--data", _temp.Combine("d.csv"), "--label", "id", "--group", "g", "--epochs", "1", "--out", _temp.Combine("run"));

        Refusal.AssertErrorLine(r, "d.csv", "--label", "'id'", "120 distinct values among 120 samples");
    }

    [Fact]
    public void ASweepAxisValueThatCannotRunIsRefusedByPlan()
    {
        var path = _temp.Combine("study.json");
        File.WriteAllText(path, """{ "axes": { "training.epochs": [1, -1] } }""");

        var r = CliRunner.Run("sweep", "plan", path);

        // The JSON field the specification sets, not the flag of `run`.
        Refusal.AssertErrorLine(r, "study.json", "training.epochs = -1", "training.epochs must be a positive integer (got -1)");
        Assert.False(Directory.Exists(_temp.Combine("study")));
    }

    [Theory]
    [InlineData("--time", "bogus")]
    [InlineData("--mem", "lots")]
    [InlineData("--cpus-per-task", "0")]
    public void BadSlurmOptionsAreRefusedBeforeWriting(string option, string value)
    {
        var path = _temp.Combine("study.json");
        File.WriteAllText(path, """{ "axes": { "training.seed": [0, 1] } }""");

        var r = CliRunner.Run("sweep", "slurm", path, option, value);

        Refusal.AssertErrorLine(r, option, value);
        Assert.False(Directory.Exists(_temp.Combine("study")));
    }
}
