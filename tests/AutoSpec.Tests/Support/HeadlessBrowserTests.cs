namespace AutoSpec.Tests.Support;

/// <summary>
/// The browser harness finds what the report tests rely on it to find: a page that is too wide, an element sticking
/// out, a console error, an uncaught exception and a request to the network. Without these a clean verdict on the
/// report would mean nothing.
/// </summary>
public sealed class HeadlessBrowserTests
{
    private static string Page(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" " +
            "content=\"width=device-width\"></head><body style=\"margin:0\">" + body + "</body></html>");
        return new Uri(path).AbsoluteUri;
    }

    [Fact]
    public async Task AFittingQuietPageHasNothingToReport()
    {
        using var temp = new TempFolder();
        var url = Page(temp.Path, "ok.html",
            "<p>fits</p><div style=\"overflow-x:auto\"><table><tr><td style=\"min-width:3000px\">wide but scrolls</td></tr></table></div>");
        await using var browser = await HeadlessBrowser.StartAsync();
        await using var page = await browser.OpenAsync(url, 390);
        Assert.Empty(page.Errors);
        Assert.Empty(await page.OverflowAsync());
        var shot = Path.Combine(temp.Path, "ok.png");
        await page.ScreenshotAsync(shot);
        var png = File.ReadAllBytes(shot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // PNG width is the big-endian int at byte 16 of the IHDR chunk: the viewport's width.
        Assert.Equal(390, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
    }

    [Fact]
    public async Task AWideElementIsFoundAt390ButNotAt1920()
    {
        using var temp = new TempFolder();
        var url = Page(temp.Path, "wide.html", "<img id=\"plot\" style=\"display:block;width:800px;height:10px\">");
        await using var browser = await HeadlessBrowser.StartAsync();
        await using (var narrow = await browser.OpenAsync(url, 390))
        {
            var overflow = await narrow.OverflowAsync();
            Assert.Contains(overflow, o => o.Contains("page is 800 px wide", StringComparison.Ordinal));
            Assert.Contains(overflow, o => o.StartsWith("img#plot spans 0–800", StringComparison.Ordinal));
        }
        await using var wide = await browser.OpenAsync(url, 1920);
        Assert.Empty(await wide.OverflowAsync());
    }

    [Fact]
    public async Task ConsoleErrorsExceptionsAndNetworkRequestsAreReported()
    {
        using var temp = new TempFolder();
        var url = Page(temp.Path, "bad.html",
            "<script>console.error('drawn badly');</script>" +
            "<script>undefinedFunction();</script>" +
            "<img src=\"https://cdn.example.invalid/plotly.min.js\">");
        await using var browser = await HeadlessBrowser.StartAsync();
        await using var page = await browser.OpenAsync(url, 1280);
        var errors = page.Errors;
        Assert.Contains(errors, e => e == "console error: drawn badly");
        Assert.Contains(errors, e => e.StartsWith("uncaught: ", StringComparison.Ordinal) && e.Contains("undefinedFunction", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "request outside the page's origin: https://cdn.example.invalid/plotly.min.js");
    }
}
