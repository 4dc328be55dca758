using System.Diagnostics;

namespace AutoSpec.Introspection;

/// <summary>
/// Where the time of introspection goes, accumulated over a run: capture (stacking the kept factors after
/// backward), spectra (the routes), recording (rows into the table buffers), flushing (Parquet part files) and
/// weight spectra σ(W), and the training thread's waits for the background thread. Read by the benchmarks and written to the manifest; the clock reads cost nanoseconds.
/// </summary>
public sealed class IntrospectionTimings
{
    private readonly long[] _ticks = new long[Enum.GetValues<IntrospectionPhase>().Length];

    /// <summary>Steps whose factors were captured and turned into spectra.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    private long _steps;

    /// <summary>Total time spent in one phase.</summary>
    public TimeSpan this[IntrospectionPhase phase] => Stopwatch.GetElapsedTime(0, _ticks[(int)phase]);

    /// <summary>Adds the time since <paramref name="startTimestamp"/> to a phase and returns the current timestamp.</summary>
    internal long Add(IntrospectionPhase phase, long startTimestamp)
    {
        long now = Stopwatch.GetTimestamp();
        // The training thread and the background thread add to different phases, but atomically all the same.
        Interlocked.Add(ref _ticks[(int)phase], now - startTimestamp);
        return now;
    }

    /// <summary>Counts one introspected step.</summary>
    internal void CountStep() => Interlocked.Increment(ref _steps);

    /// <summary>Forgets everything measured so far (e.g. after a warm-up).</summary>
    public void Reset()
    {
        Array.Clear(_ticks);
        _steps = 0;
    }

    /// <summary>Milliseconds per phase, for the manifest.</summary>
    public Dictionary<string, double> ToMilliseconds() =>
        Enum.GetValues<IntrospectionPhase>().ToDictionary(p => p.ToString().ToLowerInvariant(), p => this[p].TotalMilliseconds);
}
