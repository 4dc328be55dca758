using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

[Collection("cli")]
public class SweepPlanTests
{
    private const string Spec = """
        {
          // a study
          "base": { "training": { "epochs": 1 } },
          "axes": {
            "training.seed": [0, 1, 2],
            "model.kind": ["mlp", "lstm"],
            "training.learning_rate": [0.001]
          }
        }
        """;

    private static string Write(TempFolder tmp, string text, string name = "study.json")
    {
        var path = tmp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PlanIsTheProductOfTheAxesInOrderWithStableIds()
    {
        using var tmp = new TempFolder();
        var spec = SweepSpecification.Load(Write(tmp, Spec));
        var plan = spec.Plan();
        Assert.Equal(6, plan.Count);
        Assert.Equal(["seed-0_kind-mlp_learning-rate-0.001", "seed-0_kind-lstm_learning-rate-0.001", "seed-1_kind-mlp_learning-rate-0.001"],
            plan.Take(3).Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 6), plan.Select(r => r.Index));
        Assert.Equal(2, plan[4].Configuration.Training.Seed);
        Assert.Equal("mlp", plan[4].Configuration.Model.Kind);
        Assert.Equal(1, plan[4].Configuration.Training.Epochs);
        Assert.Equal(plan[4].Id, plan[4].Configuration.RunId);
        Assert.Equal(tmp.Combine("study"), spec.OutDirectory);

        // Same text ⇒ same plan and fingerprint; another value on an axis keeps every existing id.
        var again = SweepSpecification.Parse(Spec, spec.Source);
        Assert.Equal(plan.Select(r => r.Id), again.Plan().Select(r => r.Id));
        Assert.Equal(spec.Fingerprint, again.Fingerprint);
        var grown = SweepSpecification.Parse(Spec.Replace("[0, 1, 2]", "[0, 1, 2, 3]"), spec.Source);
        Assert.Subset(grown.Plan().Select(r => r.Id).ToHashSet(), plan.Select(r => r.Id).ToHashSet());
        Assert.NotEqual(spec.Fingerprint, grown.Fingerprint);
    }

    [Fact]
    public void NoAxesIsOneRun()
    {
        using var tmp = new TempFolder();
        var plan = SweepSpecification.Load(Write(tmp, """{ "base": {} }""")).Plan();
        Assert.Equal("run", Assert.Single(plan).Id);
    }

    [Theory]
    [InlineData("{ \"base\": { \"training\": { \"seed\": \"x\" } } }", "line 1", "$.base.training.seed")]
    [InlineData("{\n \"base\": {},\n \"axes\": { \"training.seed\": [0, 1,, ] }\n}", "line 3", "")]
    [InlineData("{\n \"base\": {},\n \"axes\": {\n  \"training.seed\": []\n }\n}", "line 4", "has no values")]
    [InlineData("{\n \"axes\": {\n  \"training.sed\": [1]\n }\n}", "line 3", "'training.sed' is not a configuration setting")]
    [InlineData("{ \"axes\": { \"training.seed\": 1 } }", "axes.training.seed", "a list of values")]
    [InlineData("{ \"axes\": { \"training.seed\": [1, 1] } }", "axes.training.seed", "appears twice")]
    [InlineData("{ \"axes\": { \"training.seed\": [\"one\"] } }", "training.seed = \"one\"", "run ")]
    [InlineData("{ \"bases\": {} }", "line 1", "bases")]
    public void MalformedSpecificationsNameTheLineAndKey(string text, string where, string what)
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, text);
        var (exit, _, err) = CliRunner.Run("sweep", "plan", path);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains(path, err);
        Assert.Contains(where, err);
        Assert.Contains(what, err);
    }

    [Fact]
    public void ASweepFolderOfAnotherSpecificationIsRefusedUnlessForced()
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, Spec);
        // The spec's lstm runs cannot run on the built-in data; this is about the folder, so the data check is off.
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", path, "--no-data-check").Exit);
        Assert.True(File.Exists(tmp.Combine("study", "sweep.json")));
        File.WriteAllText(path, Spec.Replace("\"epochs\": 1", "\"epochs\": 2"));
        var (exit, _, err) = CliRunner.Run("sweep", "run", path, "--task-index", "0");
        Assert.Equal(2, exit);
        Assert.Contains("another specification", err);
        Assert.Equal(0, CliRunner.Run("sweep", "slurm", path, "--force", "--no-data-check").Exit);
        Assert.Contains("\"epochs\": 2", File.ReadAllText(tmp.Combine("study", "configs", "seed-0_kind-mlp_learning-rate-0.001.json")));
    }

    [Fact]
    public void TaskIndexOutOfRangeIsAClearError()
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, Spec);
        var (exit, _, err) = CliRunner.Run("sweep", "run", path, "--task-index", "6");
        Assert.Equal(2, exit);
        Assert.Equal("error: --task-index 6 is out of range: the sweep has 6 runs (indices 0–5).", err.Trim());
        Assert.Equal(2, CliRunner.Run("sweep", "run", path, "--task-index", "-1").Exit);
    }

    [Fact]
    public void AnUnwritableSweepFolderIsAClearErrorAndLeavesNothing()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.Combine("file"), "");
        // Runs that can run on the built-in data (sweep run checks them first), so the folder is what is refused.
        var path = Write(tmp, Spec.Replace("\"axes\"", "\"out\": \"file/sweep\", \"axes\"").Replace("[\"mlp\", \"lstm\"]", "[\"mlp\"]"));
        var (exit, _, err) = CliRunner.Run("sweep", "run", path);
        Assert.Equal(2, exit);
        Assert.Contains("cannot write sweep folder", err);
        Assert.Equal(["file", "study.json"], Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SlurmScriptIsAnArrayOverThePlan()
    {
        using var tmp = new TempFolder();
        var path = Write(tmp, Spec);
        // The spec's lstm runs cannot run on the built-in data (SweepCheckTests); this is about the script.
        var (exit, output, err) = CliRunner.Run("sweep", "slurm", path, "--time", "00:10:00", "--mem", "2G", "--cpus-per-task", "3", "--max-parallel", "2", "--no-data-check");
        Assert.True(exit == 0, err);
        Assert.Contains("sbatch", output);
        var script = File.ReadAllText(tmp.Combine("study", "sweep.sbatch"));
        Assert.Contains("#SBATCH --array=0-5%2", script);
        Assert.Contains("#SBATCH --time=00:10:00", script);
        Assert.Contains("#SBATCH --mem=2G", script);
        Assert.Contains("#SBATCH --cpus-per-task=3", script);
        Assert.Contains("--task-index \"$SLURM_ARRAY_TASK_ID\"", script);
    }
}
