using System.Reflection;

namespace AutoSpec.Report;

/// <summary>
/// plotly.js (minified, the full bundle), taken from the copy Plotly.NET embeds as a resource, so the report can inline
/// it once and work offline. Plotly.NET's own chart API is not used: from C# its styling objects (titles, colour bars,
/// config) take a dozen positional F# options each and its HTML output points to a CDN, so the report writes plotly.js
/// figure JSON itself.
/// </summary>
internal static class PlotlyLibrary
{
    private static readonly Lazy<(string Name, string Text)> Bundle = new(Load);

    /// <summary>The script text.</summary>
    public static string Script => Bundle.Value.Text;

    /// <summary>The resource's file name, e.g. <c>plotly-2.28.0.min.js</c> (it names the plotly.js version).</summary>
    public static string FileName => Bundle.Value.Name;

    private static (string, string) Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        // The name carries plotly.js's version (Plotly.NET.plotly-2.28.0.min.js): found by its shape, not a fixed version.
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal)
            && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} carries no plotly.js bundle; the report cannot be made.");
        var text = Read(assembly, name);
        // The bundle's banner points to its third-party licence notices, shipped beside it: they travel inside the page.
        if (assembly.GetManifestResourceNames().Contains(name + ".LICENSE.txt"))
        {
            text = "/*\n" + Read(assembly, name + ".LICENSE.txt").Replace("*/", "* /", StringComparison.Ordinal) + "\n*/\n" + text;
        }
        // Inside <script>…</script> only this sequence would end the element early.
        if (text.Contains("</script", StringComparison.OrdinalIgnoreCase))
        {
            text = text.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        }
        return (name["Plotly.NET.".Length..], text);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
