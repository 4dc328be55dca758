using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

/// <summary>A specification's "out" names a folder below the specification's folder, wherever it is run from.</summary>
[Collection("cli")]
public sealed class SweepOutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Spec(string outValue)
    {
        var dir = _temp.Combine("specs");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "study.json");
        File.WriteAllText(path, $$"""{ "base": { "training": { "epochs": 1 } }, "axes": { "training.seed": [0, 1] }, "out": {{System.Text.Json.JsonSerializer.Serialize(outValue)}} }""");
        return path;
    }

    [Fact]
    public void RelativeOutResolvesAgainstTheSpecificationsFolder()
    {
        var path = Spec("sweeps/study");
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(_temp.Path);
            var fromHere = SweepSpecification.Load(path).OutDirectory;
            Directory.SetCurrentDirectory(Path.GetTempPath());
            var fromThere = SweepSpecification.Load(path).OutDirectory;

            Assert.Equal(_temp.Combine("specs", "sweeps", "study"), fromHere);
            Assert.Equal(fromHere, fromThere);
        }
        finally
        {
            Directory.SetCurrentDirectory(cwd);
        }
    }

    [Theory]
    [InlineData("../../..", "not a folder below")]
    [InlineData("..", "not a folder below")]
    [InlineData(".", "not a folder below")]
    [InlineData("/tmp/elsewhere", "absolute path")]
    [InlineData("", "empty")]
    public void OutLeavingTheSpecificationsFolderIsRefused(string value, string reason)
    {
        var r = CliRunner.Run("sweep", "plan", Spec(value));

        Refusal.AssertErrorLine(r, "study.json", "'out'", reason);
    }

    [Fact]
    public void CommandLineOutMayNameAnyFolder()
    {
        var r = CliRunner.Run("sweep", "plan", Spec("../.."), "--out", _temp.Combine("elsewhere"));

        Assert.True(r.Exit == 0, r.Err);
    }
}

/// <summary>A plan's size is checked from the axes before it is expanded.</summary>
[Collection("cli")]
public sealed class SweepPlanSizeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void HundredMillionRunsAreRefusedAtOnce()
    {
        // 100 × 100 × 100 × 100 seeds × folds × … = 10⁸ runs from a 2 KB file.
        var values = string.Join(',', Enumerable.Range(0, 100));
        var path = _temp.Combine("big.json");
        File.WriteAllText(path, $$"""{ "axes": { "training.seed": [{{values}}], "training.fold": [{{values}}], "training.epochs": [{{string.Join(',', Enumerable.Range(1, 100))}}], "training.batch_size": [{{string.Join(',', Enumerable.Range(1, 100))}}] } }""");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var r = CliRunner.Run("sweep", "plan", path);

        Refusal.AssertErrorLine(r, "big.json", "100,000,000 runs", "at most 100,000");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
