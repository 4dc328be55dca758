using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary><c>autospec data synth</c> writes files that <c>autospec data inspect</c> loads; bad input exits 2.</summary>
[Collection("cli")]
public sealed class DataCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("table", "--subjects", "40")]
    [InlineData("long-table", "--subjects", "40")]
    [InlineData("timecourses", "--subjects", "24", "--timepoints", "40")]
    [InlineData("volumes", "--subjects", "8", "--size", "8")]
    public void SynthOutputLoadsWithThePrintedOptions(string kind, params string[] options)
    {
        var dir = _temp.Combine(kind);
        var synth = CliRunner.Run(["data", "synth", kind, "--out", dir, .. options]);
        Assert.True(synth.Exit == 0, synth.Err);
        Assert.True(File.Exists(Path.Combine(dir, "README.txt")));
        // Every path printed in one form: this folder is outside the current one, so all are absolute.
        var wrote = synth.Out.Split('\n').Where(l => l.StartsWith("wrote ", StringComparison.Ordinal)).ToList();
        Assert.Contains(wrote, l => l.EndsWith("README.txt", StringComparison.Ordinal));
        Assert.All(wrote, l => Assert.StartsWith("wrote " + dir + Path.DirectorySeparatorChar, l));
        var line = synth.Out.Split('\n').Single(l => l.StartsWith("load with: autospec data inspect ", StringComparison.Ordinal));
        var args = line["load with: autospec ".Length..].Trim().Split(' ');
        Assert.All(args.Where(a => a.Contains('.', StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal)),
            a => Assert.StartsWith(dir + Path.DirectorySeparatorChar, a));
        // The README's hint names the files relative to the data folder itself.
        var hint = File.ReadAllLines(Path.Combine(dir, "README.txt")).Single(l => l.StartsWith("  autospec data inspect ", StringComparison.Ordinal));
        Assert.DoesNotContain(dir, hint);
        Assert.Equal(args.Length, hint.Trim().Split(' ').Length - 1);

        var inspect = CliRunner.Run(args);

        Assert.True(inspect.Exit == 0, inspect.Err);
        Assert.Contains("samples: ", inspect.Out);
        Assert.Contains("total", inspect.Out);
    }

    [Fact]
    public void InspectNamesTheNiftiDatatype()
    {
        var dir = _temp.Combine("volumes");
        Assert.Equal(0, CliRunner.Run("data", "synth", "volumes", "--out", dir, "--subjects", "8", "--size", "8").Exit);

        var r = CliRunner.Run("data", "inspect", Path.Combine(dir, "mask.nii.gz"));

        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("NIfTI-1 image 8 × 8 × 8, voxel size", r.Out);
        Assert.Matches(@"datatype (uint8|int16|int32|float32|float64)\n", r.Out);
        Assert.DoesNotContain("datatype 16", r.Out);
    }

    [Fact]
    public void SynthRefusesANonEmptyFolderUnlessOverwrite()
    {
        var dir = _temp.Combine("study");
        Directory.CreateDirectory(dir);
        var mine = Path.Combine(dir, "table.csv");
        File.WriteAllText(mine, "subject,label\n");
        var r = CliRunner.Run("data", "synth", "table", "--out", dir, "--subjects", "20");
        Assert.Equal(2, r.Exit);
        Assert.Contains("is not empty", r.Err);
        Assert.Equal("subject,label\n", File.ReadAllText(mine));

        r = CliRunner.Run("data", "synth", "table", "--out", dir, "--subjects", "20", "--overwrite");
        Assert.True(r.Exit == 0, r.Err);
        Assert.NotEqual("subject,label\n", File.ReadAllText(mine));
    }

    [Fact]
    public void InspectDescribesFilesWithoutLabel()
    {
        var dir = _temp.Combine("tc");
        Assert.Equal(0, CliRunner.Run("data", "synth", "timecourses", "--out", dir, "--subjects", "8", "--components", "6", "--timepoints", "20").Exit);

        var r = CliRunner.Run("data", "inspect", Path.Combine(dir, "timecourses.npy"), Path.Combine(dir, "timecourses.h5"), Path.Combine(dir, "subjects.csv"));

        Assert.Equal(0, r.Exit);
        Assert.Contains("shape (8, 6, 20)", r.Out);
        Assert.Contains("/timecourses: FloatingPoint32, shape (8, 6, 20)", r.Out);
        Assert.Contains("'label': text, 2 distinct, 0 missing: 'control' 4, 'patient' 4", r.Out);
    }

    [Fact]
    public void RealLongTableInspectCountsSubjects()
    {
        var r = CliRunner.Run("data", "inspect", SharedData.Path("degeneration_connectivity", "connectivity.tsv"),
            "--label", "group", "--subject", "subject", "--session", "session", "--pivot", "regions", "--value", "connectivity");

        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("samples: 157 from 79 subjects; sample shape [19]", r.Out);
        Assert.Contains("157 (79)", r.Out);
    }

    [Theory]
    [InlineData("unknown format '.xlsx'", "data", "inspect", "data.xlsx")]
    [InlineData("unknown kind 'foo'", "data", "synth", "foo", "--out", "x")]
    [InlineData("--size does not apply", "data", "synth", "table", "--out", "x", "--size", "4")]
    [InlineData("--label is needed", "data", "inspect", "a.csv", "--group", "g")]
    [InlineData("file not found", "data", "inspect", "missing.nii.gz")]
    public void BadInputIsOneErrorLineAndExit2(string fragment, params string[] args)
    {
        var r = CliRunner.Run(args.Select(a => a is "x" or "data.xlsx" or "missing.nii.gz" ? _temp.Combine(a) : a).ToArray());

        Assert.Equal(2, r.Exit);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(fragment, line);
    }
}
