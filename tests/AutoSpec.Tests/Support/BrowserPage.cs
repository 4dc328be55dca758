using PuppeteerSharp;

namespace AutoSpec.Tests.Support;

/// <summary>
/// A page opened by <see cref="HeadlessBrowser"/>, with everything that went wrong while it loaded and ran: console
/// errors, uncaught exceptions, failed requests, and any request that leaves the page's own origin (a self-contained
/// report must fetch nothing; from <c>file://</c> every http(s) request counts).
/// </summary>
internal sealed class BrowserPage : IAsyncDisposable
{
    // An element sticks out when its box reaches past the viewport and no ancestor clips or scrolls it (a table in
    // a scrolling wrapper is fine; the page itself must never need a horizontal scroll bar). A box wholly left of the
    // page is a deliberate off-screen helper (plotly.js measures text in an svg at x = −10 000) and never scrolls.
    private const string OverflowScript = """
        (() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width + 1)
            found.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
            (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const contained = e => {
            for (let a = e.parentElement; a && a !== document.documentElement; a = a.parentElement) {
              const x = getComputedStyle(a).overflowX;
              if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
            }
            return false;
          };
          for (const e of document.body.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if ((r.width === 0 && r.height === 0) || r.right <= 0) continue;
            if ((r.right > width + 1 || r.left < -1) && !contained(e))
              found.push(`${name(e)} spans ${Math.round(r.left)}–${Math.round(r.right)} px of ${width}`);
            if (found.length >= 20) break;
          }
          return found;
        })()
        """;

    private readonly List<string> _errors = [];
    private readonly Uri _origin;

    public BrowserPage(IPage page, Uri origin)
    {
        Page = page;
        _origin = origin;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                Add("console error: " + e.Message.Text);
            }
        };
        page.PageError += (_, e) => Add("uncaught: " + e.Message);
        page.RequestFailed += (_, e) => Add($"request failed: {e.Request.Url} ({e.Request.FailureText})");
        page.Request += (_, e) =>
        {
            if (Uri.TryCreate(e.Request.Url, UriKind.Absolute, out var u)
                && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
                && !(u.Scheme == _origin.Scheme && u.Authority == _origin.Authority))
            {
                Add("request outside the page's origin: " + e.Request.Url);
            }
        };
    }

    /// <summary>The page, for evaluating expressions in it.</summary>
    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions, failed and outside requests, in the order seen.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Elements (and the page) sticking out of the viewport horizontally; empty when the layout fits.</summary>
    public async Task<IReadOnlyList<string>> OverflowAsync() =>
        await Page.EvaluateExpressionAsync<string[]>(OverflowScript);

    /// <summary>Writes a full-page PNG.</summary>
    public Task ScreenshotAsync(string path) =>
        Page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });

    internal void Add(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>Closes the page; a close that does not finish in 10 s is left to the browser's own disposal.</summary>
    public async ValueTask DisposeAsync()
    {
        var close = Page.CloseAsync();
        await Task.WhenAny(close, Task.Delay(TimeSpan.FromSeconds(10)));
        Page.Dispose();
    }
}
