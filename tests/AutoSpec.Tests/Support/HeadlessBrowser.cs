using System.Diagnostics;
using PuppeteerSharp;

namespace AutoSpec.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven by PuppeteerSharp over the DevTools protocol, for tests of pages we write
/// (the report, the live view). Chromium comes from <c>AUTOSPEC_CHROMIUM</c> or <c>/usr/bin/chromium</c>; when it is
/// missing, <c>scripts/install-chromium.sh</c> installs it (root and Debian's feed needed), so a fresh machine needs
/// nothing by hand. PuppeteerSharp never downloads a browser of its own here: the closed network would refuse it.
/// </summary>
internal sealed class HeadlessBrowser : IAsyncDisposable
{
    // The flags the machine notes name: without the background-networking ones Chromium opens connections that this
    // closed network refuses, and at every start it tries to reach Google's hosts.
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static readonly Lazy<string> Executable = new(FindOrInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IBrowser _browser;

    private HeadlessBrowser(IBrowser browser) => _browser = browser;

    /// <summary>Starts a browser; fails with the reason when Chromium can't be found or installed.</summary>
    public static async Task<HeadlessBrowser> StartAsync()
    {
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Executable.Value,
            Args = Flags,
            Timeout = 120_000,
        });
        return new HeadlessBrowser(browser);
    }

    /// <summary>Opens <paramref name="url"/> in a new page of the given viewport and waits until it has loaded.</summary>
    public async Task<BrowserPage> OpenAsync(string url, int width, int height = 900)
    {
        var page = await _browser.NewPageAsync();
        var opened = new BrowserPage(page, new Uri(url));
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        var response = await page.GoToAsync(url, new NavigationOptions
        {
            Timeout = 120_000,
            WaitUntil = [WaitUntilNavigation.Load],
        });
        if (response is not null && !response.Ok && response.Status != 0)
        {
            opened.Add($"{url} answered {(int)response.Status}");
        }
        return opened;
    }

    /// <summary>
    /// Closes the browser, killing it when a close over the DevTools connection does not finish in 30 s (seen once
    /// after a failed test on a loaded machine: the close took 14 minutes and held up the tests after it).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var close = _browser.CloseAsync();
        if (await Task.WhenAny(close, Task.Delay(TimeSpan.FromSeconds(30))) != close)
        {
            try
            {
                _browser.Process?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        _browser.Dispose();
    }

    private static string FindOrInstall()
    {
        var configured = Environment.GetEnvironmentVariable("AUTOSPEC_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"AUTOSPEC_CHROMIUM is {configured}, which does not exist");
        }
        const string debian = "/usr/bin/chromium";
        if (File.Exists(debian))
        {
            return debian;
        }
        var script = Path.Combine(Repository.Root(), "scripts", "install-chromium.sh");
        using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardError = true })!;
        var error = install.StandardError.ReadToEnd();
        if (!install.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            install.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not finish in 15 minutes");
        }
        return install.ExitCode == 0 && File.Exists(debian)
            ? debian
            : throw new InvalidOperationException(
                $"the browser tests need Chromium: {script} failed (exit {install.ExitCode}): {error.Trim()}");
    }
}
