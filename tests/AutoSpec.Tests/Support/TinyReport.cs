namespace AutoSpec.Tests.Support;

/// <summary>The report of the three <see cref="TinyRuns"/>, written once by <c>autospec report</c> for the report tests.</summary>
public sealed class TinyReport : IDisposable
{
    public TinyReport()
    {
        Runs = new TinyRuns();
        Path = Runs.Folder.Combine("report.html");
        var (exit, _, err) = CliRunner.Run(["report", .. Runs.Runs, "--out", Path]);
        if (exit != 0)
        {
            throw new InvalidOperationException("report of the tiny runs failed: " + err);
        }
        Html = File.ReadAllText(Path);
    }

    public TinyRuns Runs { get; }

    /// <summary>The report file.</summary>
    public string Path { get; }

    /// <summary>Its text.</summary>
    public string Html { get; }

    public void Dispose() => Runs.Dispose();
}
