namespace AutoSpec.Tests.Support;

/// <summary>What every refused input must look like: exit 2 and one "error: " line naming what is wrong.</summary>
public static class Refusal
{
    /// <summary>Asserts exit 2, exactly one non-empty stderr line starting "error: " and holding every mention; returns it.</summary>
    public static string AssertErrorLine((int Exit, string Out, string Err) r, params string[] mentions)
    {
        Assert.True(r.Exit == 2, $"expected exit 2, got {r.Exit}; stderr: {r.Err}; stdout: {r.Out}");
        var line = Assert.Single(Lines(r.Err));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        foreach (var m in mentions)
        {
            Assert.Contains(m, line, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("run complete", r.Out, StringComparison.Ordinal);
        return line;
    }

    /// <summary>The non-empty lines of a text.</summary>
    public static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
