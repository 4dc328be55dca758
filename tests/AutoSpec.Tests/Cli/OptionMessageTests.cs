using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>Errors name the user's option and what it takes, never a .NET type or a property name.</summary>
[Collection("cli")]
public sealed class OptionMessageTests
{
    [Theory]
    [InlineData("--epochs", "abc", "a whole number")]
    [InlineData("--lr", "fast", "a number")]
    [InlineData("--route", "sideways", "one of Auto")]
    public void UnparsableValuesNameTheOption(string option, string value, string takes)
    {
        var r = CliRunner.Run("run", option, value);

        var line = Refusal.AssertErrorLine(r, option, $"'{value}'", takes);
        Assert.DoesNotContain("System.", line);
        Assert.DoesNotContain("Nullable", line);
    }

    [Fact]
    public void AnHdf5FileWithoutDatasetNamesTheOption()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("x.h5");
        new PureHDF.H5File { ["tc"] = new PureHDF.H5Dataset(new float[6], fileDims: [2, 3]) }.Write(path);
        File.WriteAllText(tmp.Combine("s.csv"), "id,dx\ns1,a\ns2,b\n");

        var r = CliRunner.Run("run", "--data", path, "--subjects", tmp.Combine("s.csv"), "--label", "dx", "--epochs", "1", "--out", tmp.Combine("run"));

        var line = Refusal.AssertErrorLine(r, "x.h5", "--dataset");
        Assert.DoesNotContain("DatasetPath", line);
    }
}
