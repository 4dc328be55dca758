using AutoSpec.Models;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>A model too large for the machine is refused from its options, before anything is allocated.</summary>
[Collection("cli")]
public sealed class ModelMemoryTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--hidden", "100000000")]
    [InlineData("--hidden", "64,2000000000")]
    public void HugeLayersAreRefusedWithTheEstimate(string option, string value)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var r = CliRunner.Run("run", option, value, "--epochs", "1", "--out", _temp.Combine("run"));

        var line = Refusal.AssertErrorLine(r, $"{option} {value}", "would need about", "of memory are available");
        Assert.Contains("GB", line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(Directory.Exists(_temp.Combine("run")), "nothing may be written for a refused model");
    }

    [Fact]
    public void TheDefaultModelIsSmall()
    {
        var bytes = ModelMemory.Estimate(new ModelOptions(), [32], 2);

        Assert.InRange(bytes, 1e4, 1e7);
    }
}
