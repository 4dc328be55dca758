using System.Diagnostics;
using System.Text.RegularExpressions;
using AutoSpec.Analyse;
using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Report;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Report;

/// <summary>
/// <c>autospec watch</c> / <c>report --live</c>: a page of a run while it trains, checked in headless Chromium while a
/// real run goes on in another process, and after it completed.
/// </summary>
[Collection("cli")]
public partial class LiveReportTests
{
    [GeneratedRegex("""<meta http-equiv="refresh" content="(\d+)">""")]
    private static partial Regex Refresh();

    [Fact]
    public async Task PageFollowsARunningRunInTheBrowserAndEndsWithTheFinalReport()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var page = tmp.Combine("live-run.html");
        // 480 training subjects in batches of 16: 30 steps per epoch; the run flushes at every epoch's end. Long
        // enough (a few seconds on an idle machine) for the watcher to see it going.
        const int stepsPerEpoch = 30, epochs = 40;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "run", "--out", dir, "--epochs", $"{epochs}", "--synth-samples", "600", "--batch-size", "16",
            "--threads", "1", "--quantities", "grad", "--permutations", "100" })
        {
            start.ArgumentList.Add(a);
        }
        using var run = Process.Start(start)!;
        Task<(int Exit, string Out, string Err)>? watch = null;
        try
        {
            var runOutput = run.StandardOutput.ReadToEndAsync();
            var runErrors = run.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            bool IsRun() => File.Exists(Path.Combine(dir, "run.lock")) || File.Exists(Path.Combine(dir, "manifest.json"));
            while (!IsRun() && !run.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(20);
            }
            if (!IsRun())
            {
                Assert.Fail("the run did not take its folder: " + await runErrors);
            }
            // The watcher starts as soon as the run has taken its folder: before the first flush.
            watch = Task.Run(() => CliRunner.Run("watch", dir, "--out", page, "--every", "2"));

            string? running = null;
            while (clock.Elapsed < TimeSpan.FromSeconds(300) && !run.HasExited)
            {
                if (File.Exists(page) && File.ReadAllText(page) is var text && text.Contains("class=\"live running\"", StringComparison.Ordinal))
                {
                    running = text;
                    break;
                }
                await Task.Delay(50);
            }
            if (running is null)
            {
                Assert.Fail($"no page of the run in progress was written before the run ended (run ended at {clock.Elapsed}): "
                    + (File.Exists(page) ? File.ReadAllText(page) : "no page"));
            }
            Assert.Equal("2", Refresh().Match(running).Groups[1].Value);
            // The browser opens a copy taken while the run goes on: it reloads itself, but into the same content.
            var snapshot = tmp.Combine("running.html");
            File.WriteAllText(snapshot, running);

            await using (var browser = await HeadlessBrowser.StartAsync())
            {
                await using var inProgress = await browser.OpenAsync(new Uri(snapshot).AbsoluteUri, 1200);
                var (banner, refreshes) = await BannerAsync(inProgress);
                Assert.Contains("run in progress", banner);
                Assert.Contains("verdicts are provisional", banner);
                var match = Regex.Match(banner, @"epoch (\d+), step (\d+), last flush at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC");
                Assert.True(match.Success, banner);
                int epoch = int.Parse(match.Groups[1].Value);
                long step = long.Parse(match.Groups[2].Value);
                // An epoch-end flush holds every step of the epoch: the last one is (E + 1) · steps per epoch − 1.
                Assert.InRange(epoch, 0, epochs - 1);
                Assert.Equal((epoch + 1) * stepsPerEpoch - 1, step);
                Assert.Equal(1, refreshes);
                Assert.True(inProgress.Errors.Count == 0, string.Join("; ", inProgress.Errors));
                Assert.Empty(await inProgress.OverflowAsync());

                var (exit, output, err) = await watch;
                Assert.True(exit == 0, err + output);
                Assert.True(run.WaitForExit(120_000), "the run did not end");
                Assert.True(run.ExitCode == 0, await runErrors);
                Assert.Contains("run complete: final page", output);
                await runOutput;

                await using var final = await browser.OpenAsync(new Uri(page).AbsoluteUri, 1200);
                var (finalBanner, finalRefreshes) = await BannerAsync(final);
                Assert.StartsWith("run complete", finalBanner);
                Assert.Equal(0, finalRefreshes);
                Assert.Equal("live complete", await final.Page.EvaluateExpressionAsync<string>("document.getElementById('live').className"));
                Assert.True(final.Errors.Count == 0, string.Join("; ", final.Errors));
            }

            // The final page is the report of the complete run, made the ordinary way, with the banner above it.
            var finalText = File.ReadAllText(page);
            var report = HtmlReport.Render(AnalysisResult.Of(RunSet.Load([dir], includeIncomplete: false), new GroupComparisonOptions()));
            var withoutBanner = Regex.Replace(finalText, "<div id=\"live\"[^>]*>[^<]*</div>\n", "");
            // The header says when each page was made (to the minute), which may differ by one.
            static string Undated(string html) => Regex.Replace(html, @"report made \d{4}-\d\d-\d\d \d\d:\d\d UTC", "report made (time)");
            Assert.Matches(@"report made \d{4}-\d\d-\d\d \d\d:\d\d UTC", report);
            Assert.Equal(Undated(report), Undated(withoutBanner));
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir), f => f.EndsWith(".html", StringComparison.Ordinal));
        }
        finally
        {
            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true);
            }
            // A watcher left running by a failed assertion ends once it sees the run's process gone; until then it
            // holds the in-process CLI, which the next test would wait for.
            if (watch is not null)
            {
                await Task.WhenAny(watch, Task.Delay(TimeSpan.FromSeconds(60)));
            }
        }
    }

    /// <summary>
    /// The banner's text and the number of reload elements, read in one evaluation (a page that reloads itself may
    /// navigate between two), tried again if a reload destroyed the context mid-way.
    /// </summary>
    private static async Task<(string Banner, int Refreshes)> BannerAsync(BrowserPage page)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var json = await page.Page.EvaluateExpressionAsync<string>(
                    "JSON.stringify([document.getElementById('live').textContent, document.querySelectorAll('meta[http-equiv=refresh]').length])");
                using var parsed = System.Text.Json.JsonDocument.Parse(json);
                return (parsed.RootElement[0].GetString()!, parsed.RootElement[1].GetInt32());
            }
            catch (PuppeteerSharp.PuppeteerException) when (attempt < 3)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public void ARunBeforeItsFirstFlushGetsAWaitingPageAndCtrlCStopsTheReload()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var page = tmp.Combine("page.html");
        var recorder = StartedRun(dir);
        try
        {
            WaitingThenStopped(dir, page, tmp);
        }
        finally
        {
            recorder.Fail(new InvalidOperationException("test over"));
        }
    }

    private static void WaitingThenStopped(string dir, string page, TempFolder tmp)
    {
        var live = new LiveReport(dir, page, TimeSpan.FromSeconds(1), runs => AnalysisResult.Of(runs, new GroupComparisonOptions()));

        var status = live.WriteOnce();
        Assert.Equal(LiveState.Waiting, status.State);
        var text = File.ReadAllText(page);
        Assert.Contains("waiting for the first flush", text);
        Assert.Contains("<title>AutoSpec report</title>", text);
        Assert.Equal("1", Refresh().Match(text).Groups[1].Value);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));
        var lines = new List<string>();
        Assert.Equal(LiveState.Stopped, live.Watch(cancel.Token, lines.Add));
        Assert.True(lines.Count >= 3, string.Join("\n", lines));
        text = File.ReadAllText(page);
        Assert.Contains("watching stopped", text);
        Assert.DoesNotMatch(Refresh(), text);
        Assert.Equal(["page.html"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ARunWhoseProcessIsGoneIsReportedAsFailed()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var page = tmp.Combine("page.html");
        var recorder = StartedRun(dir);
        var manifestText = File.ReadAllText(Path.Combine(dir, "manifest.json"));
        recorder.Fail(new InvalidOperationException("test over"));
        // What a killed process leaves: the manifest still says running, and nobody holds the lock.
        File.WriteAllText(Path.Combine(dir, "manifest.json"), manifestText);
        var live = new LiveReport(dir, page, TimeSpan.FromSeconds(1), runs => AnalysisResult.Of(runs, new GroupComparisonOptions()));
        Assert.Equal(LiveState.Failed, live.Watch(CancellationToken.None));
        var text = File.ReadAllText(page);
        Assert.Contains("run failed", text);
        Assert.Contains("ended without marking it complete", text);
        Assert.DoesNotMatch(Refresh(), text);
    }

    [Fact]
    public void AFailedRunEndsTheWatchWithItsReason()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var page = tmp.Combine("page.html");
        StartedRun(dir).Fail(new InvalidOperationException("the disk is full"));
        var (exit, output, _) = CliRunner.Run("watch", dir, "--out", page, "--every", "1");
        Assert.Equal(1, exit);
        Assert.Contains("run failed", output);
        var text = File.ReadAllText(page);
        Assert.Contains("class=\"live failed\"", text);
        Assert.Contains("the disk is full", text);
        Assert.DoesNotMatch(Refresh(), text);
    }

    [Fact]
    public void WatchRefusesWhatIsNotARunFolder()
    {
        using var tmp = new TempFolder();
        var empty = tmp.Combine("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "mine");
        var (exit, _, err) = CliRunner.Run("watch", empty);
        Assert.Equal(2, exit);
        Assert.Contains("is not a run folder", err);
        Assert.StartsWith("error: ", err);
        Assert.False(File.Exists(LiveReport.DefaultPage(empty)), "nothing is written for a refused folder");

        (exit, _, err) = CliRunner.Run("watch", tmp.Combine("missing"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", err);

        (exit, _, err) = CliRunner.Run("report", "--live", empty, tmp.Combine("missing"));
        Assert.Equal(2, exit);
        Assert.Contains("--live watches one run folder", err);
    }

    [Fact]
    public void WatchNeverReplacesAFileThatIsNotAReport()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var recorder = StartedRun(dir);
        var mine = tmp.Combine("live-run.html");
        File.WriteAllText(mine, "<html>my notes</html>");
        var (exit, _, err) = CliRunner.Run("watch", dir);
        recorder.Fail(new InvalidOperationException("test over"));
        Assert.Equal(2, exit);
        Assert.Contains("not an AutoSpec report", err);
        Assert.Equal("<html>my notes</html>", File.ReadAllText(mine));
    }

    [Fact]
    public void ReportLiveOnACompleteRunWritesTheFinalPageAtOnce()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var (exit, _, err) = CliRunner.Run("run", "--out", dir, "--epochs", "2", "--synth-samples", "300", "--batch-size", "32",
            "--threads", "1", "--quantities", "grad", "--permutations", "100");
        Assert.True(exit == 0, err);
        var page = tmp.Combine("page.html");
        string output;
        (exit, output, err) = CliRunner.Run("report", "--live", dir, "--out", page, "--layers", "fc1");
        Assert.True(exit == 0, err);
        Assert.Contains("run complete: final page", output);
        var text = File.ReadAllText(page);
        Assert.Contains("class=\"live complete\"", text);
        Assert.DoesNotMatch(Refresh(), text);
        // report's analysis options apply: only fc1 is compared.
        var plain = HtmlReport.Render(AnalysisResult.Of(RunSet.Load([dir], includeIncomplete: false), new GroupComparisonOptions { Layers = ["fc1"] }));
        Assert.Equal(plain, Regex.Replace(text, "<div id=\"live\"[^>]*>[^<]*</div>\n", ""));
    }

    [Fact]
    public async Task CtrlCStopsTheWatchCommandWithAPageThatNoLongerReloads()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Combine("run");
        var page = tmp.Combine("page.html");
        var recorder = StartedRun(dir);
        try
        {
            var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "AutoSpec.Cli"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "watch", dir, "--out", page, "--every", "1" })
            {
                start.ArgumentList.Add(a);
            }
            using var watch = Process.Start(start)!;
            var output = watch.StandardOutput.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(page) && !watch.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
            Assert.True(File.Exists(page), "no page written");
            Assert.Contains("waiting for the first flush", File.ReadAllText(page));
            using (var signal = Process.Start("kill", ["-INT", watch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }
            Assert.True(watch.WaitForExit(30_000), "watch did not stop after SIGINT");
            Assert.Equal(130, watch.ExitCode);
            Assert.Contains("watching stopped", await output);
            var text = File.ReadAllText(page);
            Assert.Contains("watching stopped", text);
            Assert.DoesNotMatch(Refresh(), text);
        }
        finally
        {
            recorder.Fail(new InvalidOperationException("test over"));
        }
    }

    /// <summary>A run folder as a run leaves it before its first flush: manifest "running", lock held (by this process).</summary>
    private static RunRecorder StartedRun(string dir)
    {
        var recorder = RunRecorder.Create(dir);
        recorder.Start(new ProbeDescription(new IntrospectionOptions(), new Dictionary<string, string>(), ["A", "B"], 0));
        return recorder;
    }

    [Fact]
    public void TheDefaultPageSitsBesideTheRunFolder()
    {
        Assert.Equal(Path.GetFullPath("/data/runs/live-x.html"), LiveReport.DefaultPage("/data/runs/x/"));
        Assert.Equal(Path.GetFullPath("/data/runs/live-x.html"), LiveReport.DefaultPage("/data/runs/x"));
    }
}
