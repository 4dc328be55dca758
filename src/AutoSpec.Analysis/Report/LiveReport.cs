using System.Net;
using System.Text.Json;
using AutoSpec.Analyse;
using AutoSpec.Record;

namespace AutoSpec.Report;

/// <summary>
/// A live page of one run while it trains (<c>autospec watch RUN</c>): every few seconds the rows the run has flushed
/// (its part files) are analysed as <c>report --include-incomplete</c> would, and the report is written again
/// atomically with a banner saying where the run stands (<see cref="LiveStatus"/>) and a reload. It ends by itself
/// with one final page, without the reload, when the run completes or fails.
/// </summary>
/// <remarks>
/// The watcher only reads the run folder: it writes no file into it, and it looks at the run's lock only to tell a
/// run whose process died from one still going. (Reading a complete run whose clean-up was interrupted finishes that
/// clean-up, as <c>report</c> does.)
/// </remarks>
public sealed class LiveReport
{
    private readonly string _run;
    private readonly string _page;
    private readonly TimeSpan _every;
    private readonly Func<RunSet, AnalysisResult> _analyse;
    private AnalysisResult? _lastResult;
    private int _failedFinalReads;

    // How often the rows of an ended run are read before its final page shows that they could not be.
    private const int FinalReadAttempts = 3;

    /// <summary>Watches the run in <paramref name="runFolder"/>, writing <paramref name="page"/>.</summary>
    /// <param name="runFolder">The run folder (it may not have flushed anything yet).</param>
    /// <param name="page">The HTML file to write (the caller has checked it may be replaced).</param>
    /// <param name="every">Time between renderings, and between reloads of the page (whole seconds, at least 1).</param>
    /// <param name="analyse">The analysis of the flushed rows (e.g. <see cref="AnalysisResult.Of"/> with the caller's options).</param>
    /// <exception cref="InvalidInputException"><paramref name="runFolder"/> is not a run folder.</exception>
    public LiveReport(string runFolder, string page, TimeSpan every, Func<RunSet, AnalysisResult> analyse)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(analyse);
        if (every < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, $"{nameof(every)} must be at least 1 s (got {every.TotalSeconds} s).");
        }
        _run = Path.GetFullPath(runFolder);
        _page = Path.GetFullPath(page);
        _every = every;
        _analyse = analyse;
        CheckRunFolder(_run);
    }

    /// <summary>The default page of a run: <c>live-RUN.html</c> beside the run folder RUN, not in it.</summary>
    /// <remarks>
    /// Outside the run folder, because the folder's clean-up (<c>--overwrite</c>, a resumed run) and its readers
    /// (<c>query</c>, <c>export</c>, a sweep's status) should see only files a run writes. The name begins with
    /// "live-" so that a glob of the run folders (<c>analyze runs/study/seed-*</c>) does not take the page for a run.
    /// </remarks>
    public static string DefaultPage(string runFolder)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder));
        return Path.Combine(Path.GetDirectoryName(full) ?? full, "live-" + Path.GetFileName(full) + ".html");
    }

    /// <summary>
    /// Refuses what cannot be watched: a missing folder, and a folder that is neither a run (manifest.json) nor a run
    /// starting up (its run.lock, written before the manifest).
    /// </summary>
    /// <exception cref="InvalidInputException">Not a run folder.</exception>
    public static void CheckRunFolder(string runFolder)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        if (File.Exists(runFolder))
        {
            throw new InvalidInputException($"'{runFolder}' is a file, not a run folder.");
        }
        if (!Directory.Exists(runFolder))
        {
            throw new InvalidInputException($"run folder '{runFolder}' does not exist.");
        }
        if (!File.Exists(Path.Combine(runFolder, RunFiles.Manifest)) && !File.Exists(Path.Combine(runFolder, RunFiles.Lock)))
        {
            throw new InvalidInputException($"'{runFolder}' is not a run folder: it has no manifest.json.");
        }
        if (RunFiles.ReadRunManifest(runFolder) is null && File.Exists(Path.Combine(runFolder, RunFiles.Manifest)))
        {
            throw new InvalidInputException($"'{runFolder}' is not a run folder: its manifest.json is not an AutoSpec run manifest.");
        }
    }

    /// <summary>
    /// Writes the page now and every <c>every</c> until the run completes or fails (the final page is written, then
    /// this returns its state) or <paramref name="cancel"/> fires (a last page that no longer reloads says watching
    /// stopped; returns <see cref="LiveState.Stopped"/>).
    /// </summary>
    /// <param name="cancel">Stops watching.</param>
    /// <param name="say">Receives one line per page written and per transient problem.</param>
    public LiveState Watch(CancellationToken cancel, Action<string>? say = null)
    {
        LiveStatus last;
        while (true)
        {
            last = WriteOnce();
            say?.Invoke(last.Text());
            if (!last.Reloads)
            {
                return last.State;
            }
            if (cancel.WaitHandle.WaitOne(_every))
            {
                var stopped = last with { State = LiveState.Stopped, WrittenUtc = DateTime.UtcNow, Detail = null };
                Write(stopped, _lastResult);
                say?.Invoke(stopped.Text());
                return LiveState.Stopped;
            }
        }
    }

    /// <summary>Reads the run once and writes the page; returns what the page says.</summary>
    public LiveStatus WriteOnce()
    {
        var seconds = (int)Math.Round(_every.TotalSeconds);
        var manifest = RunFiles.ReadRunManifest(_run);
        var manifestFile = new FileInfo(Path.Combine(_run, RunFiles.Manifest));
        DateTime? lastFlush = manifestFile.Exists ? manifestFile.LastWriteTimeUtc : null;
        var state = manifest?.Status switch
        {
            "complete" => LiveState.Complete,
            "failed" => LiveState.Failed,
            _ => LiveState.Running,
        };
        string? detail = state == LiveState.Failed ? manifest?.Error ?? "no reason recorded" : null;
        // "complete" is written before the run deletes its checkpoint and lock: the final page waits for that clean-up.
        bool finishing = state == LiveState.Complete && RunLock.IsHeld(Path.Combine(_run, RunFiles.Lock));
        if (state == LiveState.Running && manifest is not null && !RunLock.IsHeld(Path.Combine(_run, RunFiles.Lock)))
        {
            state = LiveState.Failed;
            detail = "its process ended without marking it complete or failed (killed?)";
        }
        if (finishing)
        {
            state = LiveState.Running;
        }
        var status = new LiveStatus(state, seconds) { LastFlushUtc = lastFlush, Detail = detail };
        AnalysisResult? result = null;
        try
        {
            // Before the first flush there is nothing to analyse: the page says so (RunSet would refuse the run).
            if (manifest is not null && RunTable.Files(_run, RunTable.Metrics).Count > 0)
            {
                var runs = RunSet.Load([_run], includeIncomplete: true);
                status = status with { Epoch = Last<int>(runs, RunColumns.Epoch), Step = Last<long>(runs, RunColumns.Step) };
                result = _analyse(runs);
            }
        }
        catch (Exception e) when (e is InvalidInputException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Part files come and go while the run flushes and merges: show the last good page with the reason, and
            // try again at the next turn (a final page says it could not read the rows).
            status = status with { Detail = JoinDetail(detail, "the flushed rows could not be read just now: " + e.Message.TrimEnd('.')) };
            result = _lastResult;
            // A final page is written from the final rows: an ended run is read again at the next turn (a few times).
            if (!status.Reloads && ++_failedFinalReads < FinalReadAttempts)
            {
                status = status with { State = LiveState.Running };
            }
        }
        if (result is null && status.State == LiveState.Running)
        {
            status = status with { State = LiveState.Waiting };
        }
        _lastResult = result;
        Write(status, result);
        return status;
    }

    private static string JoinDetail(string? first, string second) => first is null ? second : first + "; " + second;

    private void Write(LiveStatus status, AnalysisResult? result)
    {
        if (result is not null)
        {
            HtmlReport.Write(result, _page, status);
            return;
        }
        var folder = Path.GetDirectoryName(_page);
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        // No analysis yet: the banner alone, with the report's title so that a later report or watch may replace it.
        Files.AtomicFile.WriteAllText(_page,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" + status.Head() +
            "<title>AutoSpec report</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}</style></head><body>\n" +
            status.Banner() + $"<h1>AutoSpec report</h1>\n<p>Run folder: {WebUtility.HtmlEncode(_run)}</p>\n</body></html>\n");
    }

    /// <summary>The largest value of a curves or metrics column among the flushed rows (the run's latest step or epoch).</summary>
    private static T? Last<T>(RunSet runs, string column) where T : struct
    {
        T? last = null;
        foreach (var run in runs.Runs)
        {
            foreach (var table in new[] { run.Curves, run.Metrics })
            {
                if (table.TryGetValue(column, out var values))
                {
                    foreach (var v in values)
                    {
                        if (v is not null)
                        {
                            var value = (T)Convert.ChangeType(v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
                            last = last is null || Comparer<T>.Default.Compare(value, last.Value) > 0 ? value : last;
                        }
                    }
                }
            }
        }
        return last;
    }
}
