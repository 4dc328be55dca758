using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Report;

/// <summary>
/// The report of real tiny runs, read as HTML: its header against the runs' manifests, its links, that it loads
/// nothing from outside, one plotly.js, one figure per expected plot, heat maps on one colour scale, and every "–" explained.
/// </summary>
[Collection("cli")]
public sealed partial class HtmlReportTests(TinyReport report) : IClassFixture<TinyReport>
{
    private static JsonElement Manifest(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "manifest.json"))).RootElement;

    /// <summary>Each figure's download name and its plotly.js JSON.</summary>
    private List<(string File, JsonNode Figure)> Figures() =>
        FigureBlock().Matches(report.Html).Select(m => (WebUtility.HtmlDecode(m.Groups["file"].Value), JsonNode.Parse(m.Groups["json"].Value)!)).ToList();

    [Fact]
    public void HeaderSaysWhatWasRunFromTheManifests()
    {
        var header = WebUtility.HtmlDecode(Regex.Match(report.Html, "<dl class=\"facts\">(.*?)</dl>", RegexOptions.Singleline).Groups[1].Value);
        var manifest = Manifest(report.Runs.Runs[0]);
        Assert.Contains(manifest.GetProperty("data").GetProperty("source").GetString()!, header);
        foreach (var g in manifest.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            Assert.Contains($"{g.GetProperty("group").GetString()}: {g.GetProperty("count").GetInt32()} samples", header);
        }
        foreach (var layer in manifest.GetProperty("layers").EnumerateObject())
        {
            Assert.Contains($"{layer.Name} ({layer.Value.GetString()})", header);
        }
        Assert.Contains("AutoSpec " + manifest.GetProperty("versions").GetProperty("autospec").GetString(), header);
        Assert.Contains("TorchSharp " + manifest.GetProperty("versions").GetProperty("torchsharp").GetString(), header);
        Assert.Contains("epochs 2", header);
        Assert.Contains("batch size 32", header);
        Assert.Contains("mlp", header);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            Assert.Contains($"seed {seed}, fold 0", header);
        }
        Assert.Contains(DateTime.Parse(manifest.GetProperty("started_utc").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal).ToString("yyyy-MM-dd"), header);
    }

    [Fact]
    public void ContentsLinksResolveAndNothingLinksOutsideThePage()
    {
        var ids = Regex.Matches(report.Html, " id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        var anchors = Regex.Matches(report.Html, "href=\"#([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(anchors.Count >= 8, $"{anchors.Count} in-page links");
        Assert.All(anchors, a => Assert.Contains(a, ids));
        foreach (var section in new[] { "findings", "curves", "map", "verdicts", "layers", "tables" })
        {
            Assert.Contains(section, anchors);
        }
        // Every src and href of the markup is in-page or a data: URI; no element that would load a file by another
        // attribute. (Script texts are left out: plotly.js holds map attributions it never loads for these plots; the
        // browser test checks that nothing is requested.)
        var markup = Regex.Replace(report.Html, "<script[^>]*>.*?</script>", "", RegexOptions.Singleline);
        var links = Regex.Matches(markup, "\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(links.Count > anchors.Count, "the CSV downloads are links too");
        Assert.All(links, l => Assert.True(l.StartsWith('#') || l.StartsWith("data:", StringComparison.Ordinal), l));
        Assert.DoesNotMatch("<(link|iframe|object|embed|img)\\b", markup);
        Assert.DoesNotMatch("<script[^>]*\\bsrc=", report.Html);
    }

    [Fact]
    public void PlotlyJsIsInlinedOnceAndEveryExpectedFigureIsThere()
    {
        // plotly.js's own licence banner, once: one copy, inlined (no <script src>).
        Assert.Single(Regex.Matches(report.Html, @"\* plotly\.js v\d+\.\d+\.\d+"));
        Assert.DoesNotMatch("<script[^>]*\\bsrc=", report.Html);
        var figures = Figures();
        Assert.Equal(Regex.Matches(report.Html, "<div class=\"plot\"").Count, figures.Count);
        Assert.All(figures, f => Assert.NotEmpty(f.Figure["data"]!.AsArray()));
        // From the runs' own facts: 3 curves (loss, accuracy, AUC), 2 per group (validation accuracy, AUC); per layer
        // (grad only recorded) ln σ₁ and effective
        // rank, the groups' heat maps, their difference, and one effect plot per tested metric.
        var manifest = Manifest(report.Runs.Runs[0]);
        int layers = manifest.GetProperty("layers").EnumerateObject().Count();
        int metrics = manifest.GetProperty("configuration").GetProperty("introspection").GetProperty("permutation_metrics").GetArrayLength();
        Assert.Equal("grad", manifest.GetProperty("configuration").GetProperty("introspection").GetProperty("quantities").GetString());
        Assert.Equal(3 + 2 + layers * (2 + 1 + 1 + metrics), figures.Count);
        Assert.Contains(figures, f => f.File == "curves-accuracy-by-group");
        Assert.Equal(figures.Count, figures.Select(f => f.File).Distinct().Count());
    }

    [Fact]
    public void TheGroupsHeatMapsShareOneColourScaleWithALabelledBar()
    {
        var spectra = Figures().Where(f => f.File.EndsWith("-spectra", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, spectra.Count);
        foreach (var (file, figure) in spectra)
        {
            var heatmaps = figure["data"]!.AsArray().Where(t => (string?)t!["type"] == "heatmap").ToList();
            Assert.Equal(2, heatmaps.Count);
            Assert.All(heatmaps, h => Assert.Equal("coloraxis", (string?)h!["coloraxis"]));
            var axis = figure["layout"]!["coloraxis"]!;
            Assert.False(string.IsNullOrWhiteSpace((string?)axis["colorbar"]!["title"]!["text"]), file);
            var z = heatmaps.SelectMany(h => h!["z"]!.AsArray().SelectMany(row => row!.AsArray()))
                .Where(v => v is not null).Select(v => (double)v!).ToList();
            // The scale spans exactly the values of both groups (rounded as written).
            Assert.Equal(z.Min(), (double)axis["cmin"]!, 3);
            Assert.Equal(z.Max(), (double)axis["cmax"]!, 3);
        }
    }

    [Fact]
    public void EffectPlotsKeepTheirEstimatesAndIntervalsInsideTheAxis()
    {
        var effects = Figures().Where(f => f.File.Contains("-effects-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(effects);
        foreach (var (file, figure) in effects)
        {
            var range = figure["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => (double)v!).ToArray();
            var trace = figure["data"]![0]!;
            var y = trace["y"]!.AsArray().Select(v => (double)v!).ToArray();
            var up = trace["error_y"]!["array"]!.AsArray().Select(v => (double)v!).ToArray();
            var down = trace["error_y"]!["arrayminus"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.True(range[0] <= Math.Min(0, y.Min()) && range[1] >= Math.Max(0, y.Max()), file);
            // Numbers are written to 5 significant digits: the ends may miss the edge by that rounding.
            double slack = 1e-4 * Math.Max(Math.Abs(range[0]), Math.Abs(range[1]));
            for (int i = 0; i < y.Length; i++)
            {
                Assert.InRange(y[i] + up[i], range[0] - slack, range[1] + slack);
                Assert.InRange(y[i] - down[i], range[0] - slack, range[1] + slack);
            }
        }
    }

    [Fact]
    public void EveryDashInATableIsExplainedBelowIt()
    {
        var tables = Regex.Matches(report.Html, "<table.*?</table></div>\\s*(<p class=\"legend\">(.*?)</p>)?", RegexOptions.Singleline).ToList();
        Assert.NotEmpty(tables);
        foreach (var t in tables.Where(t => t.Value.Contains(">–<", StringComparison.Ordinal)))
        {
            Assert.Contains("–:", WebUtility.HtmlDecode(t.Groups[2].Value));
        }
        // Tables are never wider than the page: each sits in a scrolling box.
        Assert.Equal(Regex.Matches(report.Html, "<table").Count, Regex.Matches(report.Html, "<div class=\"scroll\"><table").Count);
    }

    [Fact]
    public void TheSizeLineAccountsForTheFileAndItsInlinedPlotlyJs()
    {
        var size = AutoSpec.Report.ReportSize.Of(report.Html);
        Assert.Equal(new FileInfo(report.Path).Length, size.Total);
        // plotly.js as Plotly.NET ships it, read here from the package's assembly, plus the licence notices beside it.
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        Assert.InRange(size.PlotlyJs, stream.Length, stream.Length + 4096);
        Assert.Equal(Regex.Matches(report.Html, "<div class=\"plot\"").Count, size.Figures);
        Assert.True(size.FigureData > 0 && size.Tables > 0 && size.PlotlyJs + size.FigureData + size.Tables < size.Total);
    }

    [GeneratedRegex("<div class=\"plot\" id=\"[^\"]+\" data-file=\"(?<file>[^\"]+)\"[^>]*></div><script type=\"application/json\" id=\"[^\"]+\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex FigureBlock();
}
