using System.Text.RegularExpressions;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Report;

/// <summary>
/// The report of real tiny runs in headless Chromium at a phone's, a laptop's and a wide screen's width: no console
/// error, no request, nothing sticking out, every figure drawn, and the layer chooser showing the chosen layer.
/// </summary>
[Collection("cli")]
public sealed class ReportBrowserTests(TinyReport report) : IClassFixture<TinyReport>
{
    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    [InlineData(1920)]
    public async Task TheReportLoadsCleanlyFitsAndDrawsEveryFigure(int width)
    {
        int figures = Regex.Matches(report.Html, "<div class=\"plot\"").Count;
        Assert.True(figures > 10, $"{figures} figures");
        using var temp = new TempFolder();
        await using var browser = await HeadlessBrowser.StartAsync();
        await using var page = await browser.OpenAsync(new Uri(report.Path).AbsoluteUri, width);
        Assert.Empty(page.Errors);
        Assert.Empty(await page.OverflowAsync());
        Assert.Equal(figures, await page.Page.EvaluateExpressionAsync<int>("document.querySelectorAll('.js-plotly-plot').length"));
        // Every figure that is shown got an SVG of the width it was given, never wider than the page.
        var widths = await page.Page.EvaluateExpressionAsync<double[]>(
            "[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent !== null).map(p => p.querySelector('svg.main-svg').getBoundingClientRect().width)");
        Assert.NotEmpty(widths);
        Assert.All(widths, w => Assert.InRange(w, 200, width));
        var shot = temp.Combine($"report-{width}.png");
        await page.ScreenshotAsync(shot);
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public async Task ARunWithoutTestsShowsItsWeightSpectraAndSaysThereIsNothingToTest()
    {
        using var temp = new TempFolder();
        var run = temp.Combine("run");
        var (exit, _, err) = CliRunner.Run("run", "--out", run, "--epochs", "1", "--synth-samples", "300", "--batch-size", "32",
            "--quantities", "grad,weight", "--permutations", "0", "--threads", "1");
        Assert.True(exit == 0, err);
        var html = temp.Combine("report.html");
        (exit, _, err) = CliRunner.Run("report", run, "--out", html);
        Assert.True(exit == 0, err);
        var text = File.ReadAllText(html);
        Assert.Contains("No subject-level test to map.", text);
        Assert.DoesNotContain("-effects-", text);
        await using var browser = await HeadlessBrowser.StartAsync();
        await using var page = await browser.OpenAsync(new Uri(html).AbsoluteUri, 390);
        await page.Page.SelectAsync("#quantity-choice", "weight");
        const string shown = "[...document.querySelectorAll('section.panel')].filter(p => !p.hidden).map(p => p.dataset.layer + '/' + p.dataset.quantity)";
        Assert.Equal(["fc1/weight"], await page.Page.EvaluateExpressionAsync<string[]>(shown));
        // σ(W): ln σ₁, effective rank and the spectrum heat map of the whole layer (group "all").
        Assert.Equal(3, await page.Page.EvaluateExpressionAsync<int>("document.querySelectorAll('section.panel:not([hidden]) .js-plotly-plot').length"));
        Assert.Empty(await page.OverflowAsync());
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task TheLayerChooserShowsTheChosenLayer()
    {
        await using var browser = await HeadlessBrowser.StartAsync();
        await using var page = await browser.OpenAsync(new Uri(report.Path).AbsoluteUri, 1280);
        const string shown = "[...document.querySelectorAll('section.panel')].filter(p => !p.hidden).map(p => p.dataset.layer + '/' + p.dataset.quantity)";
        Assert.Equal(["fc1/grad"], await page.Page.EvaluateExpressionAsync<string[]>(shown));
        await page.Page.SelectAsync("#layer-choice", "fc3");
        Assert.Equal(["fc3/grad"], await page.Page.EvaluateExpressionAsync<string[]>(shown));
        var widths = await page.Page.EvaluateExpressionAsync<double[]>(
            "[...document.querySelectorAll('section.panel:not([hidden]) .js-plotly-plot')].map(p => p.querySelector('svg.main-svg').getBoundingClientRect().width)");
        Assert.NotEmpty(widths);
        Assert.All(widths, w => Assert.InRange(w, 300, 1280));
        Assert.Empty(page.Errors);
    }
}
