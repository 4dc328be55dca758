namespace AutoSpec.Tests.Support;

/// <summary>
/// Three tiny complete runs (seeds 1–3, 2 epochs, 300 samples, grad only) made once for the analysis and report tests.
/// </summary>
public sealed class TinyRuns : IDisposable
{
    public TinyRuns()
    {
        Folder = new TempFolder();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var dir = Folder.Combine($"run{seed}");
            var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--seed", seed.ToString(), "--epochs", "2",
                "--synth-samples", "300", "--batch-size", "32", "--quantities", "grad", "--threads", "1");
            if (exit != 0)
            {
                throw new InvalidOperationException("tiny run failed: " + err);
            }
            Runs.Add(dir);
        }
    }

    public TempFolder Folder { get; }

    public List<string> Runs { get; } = [];

    /// <summary>A copy of a run folder, to be altered by a test.</summary>
    public string Copy(string run, string name)
    {
        var target = Folder.Combine(name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(run))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return target;
    }

    public void Dispose() => Folder.Dispose();
}
