using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

/// <summary>
/// Issue 15: <c>sweep plan</c> and <c>sweep run</c> check every run against its data before any worker starts, and
/// <c>sweep run</c> says why a run failed instead of only where its log is.
/// </summary>
[Collection("cli")]
public sealed class SweepCheckTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>40 subjects: id, dx, site, iq (−9999 for 5 of them), f1, f2.</summary>
    private string WriteTable()
    {
        var text = new StringBuilder("id,dx,site,iq,f1,f2\n");
        for (int i = 0; i < 40; i++)
        {
            var iq = i % 8 == 3 ? "-9999" : (80 + i).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"s{i},{(i % 2 == 0 ? "a" : "b")},{(i / 2 % 2 == 0 ? "X" : "Y")},{iq},{i % 7},{i % 5}\n");
        }
        var path = _temp.Combine("table.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private string WriteSpec(string source, string axes)
    {
        var path = _temp.Combine("study.json");
        File.WriteAllText(path, $$"""
            {
              "base": { "training": { "epochs": 1 }, "introspection": { "permutations": 0 },
                        "data": { "source": {{source}} } },
              "axes": {{axes}}
            }
            """);
        return path;
    }

    private static string Source(string table, string label = "dx") =>
        JsonSerializer.Serialize(new { path = table, label_column = label, group_columns = new[] { "site" }, subject_column = "id" });

    [Fact]
    public void PlanRefusesAColumnThatIsNotThereNamingTheRun()
    {
        var spec = WriteSpec(Source(WriteTable(), label: "diagnosis"), """{ "training.seed": [0, 1] }""");

        var r = CliRunner.Run("sweep", "plan", spec);

        Refusal.AssertErrorLine(r, "study.json", "run seed-0 (training.seed = 0)", "table.csv", "label column 'diagnosis'", "not found");
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(_temp.Combine("study")));
    }

    [Theory]
    [InlineData("""{ "model.kind": ["mlp", "lstm"] }""", "run kind-lstm (model.kind = \"lstm\")", "model.kind|lstm takes samples of shape")]
    [InlineData("""{ "training.folds": [5, 41] }""", "run folds-41", "training.folds|41 exceeds the number of subjects (40)")]
    [InlineData("""{ "training.fold": [0, 7] }""", "run fold-7", "training.fold|must be in 0..4")]
    [InlineData("""{ "model.activation": ["relu", "swish"] }""", "run activation-swish", "model.activation|unknown activation 'swish'")]
    public void PlanRefusesARunThatCannotRunOnItsData(string axes, string run, string reason)
    {
        var spec = WriteSpec(Source(WriteTable()), axes);

        var r = CliRunner.Run("sweep", "plan", spec);

        // A sweep names the specification's JSON field, not a flag (docs/DESIGN.md, "Errors follow the layering").
        Refusal.AssertErrorLine(r, ["study.json", run, .. reason.Split('|')]);
    }

    [Fact]
    public void PlanLoadsEachDataSourceOnceAndShowsItsWarningsOnce()
    {
        var spec = WriteSpec(Source(WriteTable()), """{ "training.seed": [0, 1, 2] }""");

        var r = CliRunner.Run("sweep", "plan", spec);

        Assert.True(r.Exit == 0, r.Err);
        Assert.Single(Refusal.Lines(r.Err), l => l.Contains("feature 'iq': its minimum -9999", StringComparison.Ordinal));
        Assert.Contains("seed-2\t2\tpending", r.Out);
    }

    [Fact]
    public void RunRefusesBeforeWritingTheFolderOrStartingAWorker()
    {
        var spec = WriteSpec(Source(WriteTable()), """{ "model.kind": ["mlp", "cnn1d"] }""");

        var r = CliRunner.Run("sweep", "run", spec, "--workers", "2");

        Refusal.AssertErrorLine(r, "run kind-cnn1d", "model.kind", "cnn1d takes samples of shape");
        Assert.False(Directory.Exists(_temp.Combine("study")));
    }

    [Fact]
    public void RunChecksOnlyTheRunsStillToDo()
    {
        var spec = WriteSpec(Source(WriteTable()), """{ "training.seed": [0, 1] }""");
        var s = SweepSpecification.Load(spec);
        SweepFolder.Prepare(s, force: false);
        foreach (var id in new[] { "seed-0", "seed-1" })
        {
            Directory.CreateDirectory(SweepFolder.RunDirectory(s.OutDirectory, id));
            File.WriteAllText(Path.Combine(SweepFolder.RunDirectory(s.OutDirectory, id), "manifest.json"), """{ "status": "complete" }""");
        }
        File.Delete(_temp.Combine("table.csv"));

        // Both complete: the missing file concerns no run still to do. A plan checks every run.
        var r = CliRunner.Run("sweep", "run", spec);
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("2 already complete, 0 to run", r.Out);
        Refusal.AssertErrorLine(CliRunner.Run("sweep", "plan", spec), "run seed-0", "table.csv: file not found");
    }

    [Fact]
    public void RunPrintsTheReasonOfTheFirstFailure()
    {
        var spec = _temp.Combine("study.json");
        File.WriteAllText(spec, SweepRunTests.Spec);
        var s = SweepSpecification.Load(spec);
        SweepFolder.Prepare(s, force: false);
        // seed-1's run folder cannot be made: its worker exits 2 with the reason on its last error line.
        var blocked = SweepFolder.RunDirectory(s.OutDirectory, "seed-1");
        File.WriteAllText(blocked, "");

        var r = CliRunner.Run("sweep", "run", spec, "--workers", "1");

        Assert.Equal(1, r.Exit);
        var log = SweepFolder.LogPath(s.OutDirectory, "seed-1");
        Assert.Contains($"seed-1: failed (exit 2): error: --out: '{blocked}' is a file, not a folder. (log: {log})", r.Out);
        Assert.Contains("sweep: 1 completed, 0 skipped, 0 busy elsewhere, 1 failed.", r.Out);
        Assert.Contains($"first failure: run seed-1: error: --out: '{blocked}' is a file, not a folder. (log: {log})", r.Out);
    }

    [Fact]
    public void SlurmChecksTheRunsBeforeWritingAScriptUnlessToldNotTo()
    {
        var spec = WriteSpec(Source(WriteTable()), """{ "model.kind": ["mlp", "lstm"] }""");

        var refused = CliRunner.Run("sweep", "slurm", spec);

        Refusal.AssertErrorLine(refused, "run kind-lstm (model.kind = \"lstm\")", "lstm takes samples of shape");
        Assert.False(Directory.Exists(_temp.Combine("study")));

        // --no-data-check writes the script without loading the table (the task would then fail on the cluster).
        File.Delete(_temp.Combine("table.csv"));
        var withoutCheck = CliRunner.Run("sweep", "slurm", spec, "--no-data-check");
        Assert.True(withoutCheck.Exit == 0, withoutCheck.Err);
        Assert.True(File.Exists(_temp.Combine("study", "sweep.sbatch")));
    }

    [Fact]
    public void SlurmReplacesItsOwnScriptButNeverAFileItDidNotWrite()
    {
        var spec = WriteSpec(Source(WriteTable()), """{ "training.seed": [0, 1] }""");
        var mine = _temp.Combine("job.sh");
        File.WriteAllText(mine, "#!/bin/bash\necho my own job\n");

        var refused = CliRunner.Run("sweep", "slurm", spec, "--script", mine);

        Refusal.AssertErrorLine(refused, "--script", "job.sh", "was not written by `autospec sweep slurm`");
        Assert.Equal("#!/bin/bash\necho my own job\n", File.ReadAllText(mine));
        Assert.False(Directory.Exists(_temp.Combine("study")));

        var ours = _temp.Combine("sweep.sbatch");
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", spec, "--script", ours, "--time", "10").Exit);
        Assert.Contains("#SBATCH --time=10\n", File.ReadAllText(ours));
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", spec, "--script", ours, "--time", "20").Exit);
        Assert.Contains("#SBATCH --time=20\n", File.ReadAllText(ours));
        Assert.False(File.Exists(ours + ".tmp"));
    }
}
