using System.Globalization;
using System.Net;

namespace AutoSpec.Report;

/// <summary>
/// What a live page (<c>autospec watch</c>) says above the report: where the watched run stands, and whether the page
/// reloads itself. A page of a run still going reloads every <see cref="RefreshSeconds"/> with
/// <c>&lt;meta http-equiv="refresh"&gt;</c>, which works from file:// without a server or script; a final page does not.
/// </summary>
/// <param name="State">Where the run stands.</param>
/// <param name="RefreshSeconds">Seconds between reloads of a page of a run still going.</param>
public sealed record LiveStatus(LiveState State, int RefreshSeconds)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Epoch of the last flushed row (0-based), when any.</summary>
    public int? Epoch { get; init; }

    /// <summary>Step of the last flushed row (0-based), when any.</summary>
    public long? Step { get; init; }

    /// <summary>When the run last flushed (its manifest is saved at every flush).</summary>
    public DateTime? LastFlushUtc { get; init; }

    /// <summary>Why the run failed, or why the flushed rows could not be shown.</summary>
    public string? Detail { get; init; }

    /// <summary>When the page was written.</summary>
    public DateTime WrittenUtc { get; init; } = DateTime.UtcNow;

    /// <summary>Whether the page reloads itself (the run is still going and is being watched).</summary>
    public bool Reloads => State is LiveState.Waiting or LiveState.Running;

    /// <summary>What goes into the page's head: the reload, for a run still going.</summary>
    public string Head() => Reloads ? $"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds.ToString(C)}\">" : "";

    /// <summary>The banner at the top of the page's body (element id "live", its class the state in lower case).</summary>
    public string Banner()
    {
        string colour = State switch
        {
            LiveState.Complete => "#e6f4ea",
            LiveState.Failed => "#fde8e8",
            _ => "#fff4d6",
        };
        return $"<div id=\"live\" class=\"live {State.ToString().ToLowerInvariant()}\" role=\"status\" " +
            $"style=\"background:{colour};border:1px solid #bbb;padding:.6em 1em;margin:0 0 1em\">{WebUtility.HtmlEncode(Text())}</div>\n";
    }

    /// <summary>The banner's words.</summary>
    public string Text()
    {
        string written = Time(WrittenUtc);
        string detail = Detail is null ? "" : $" ({Detail.TrimEnd('.')})";
        return State switch
        {
            LiveState.Waiting => $"run in progress: waiting for the first flush (rows are flushed at every epoch's end){detail}; this page reloads every {RefreshSeconds} s (written {written}).",
            LiveState.Running => $"run in progress: epoch {Epoch?.ToString(C) ?? "?"}, step {Step?.ToString(C) ?? "?"}, last flush at {(LastFlushUtc is { } f ? Time(f) : "?")}; verdicts are provisional{detail}. This page reloads every {RefreshSeconds} s (written {written}).",
            LiveState.Complete => $"run complete: final page (written {written}); it no longer reloads{detail}.",
            LiveState.Failed => $"run failed{detail}: the page shows the rows flushed before it stopped (last flush at {(LastFlushUtc is { } l ? Time(l) : "?")}); it no longer reloads.",
            _ => $"watching stopped at {written}; the run may still be going (epoch {Epoch?.ToString(C) ?? "?"}, step {Step?.ToString(C) ?? "?"} when last seen). This page no longer reloads.",
        };
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", C) + " UTC";
}
