using System.Collections.Concurrent;

namespace AutoSpec.Introspection;

/// <summary>
/// Threads that compute the spectra of several layers, and of several steps, at once, for a machine with more cores
/// than training and one background thread use. Each unit of work (a layer, or layers that share a factor) is
/// independent; the results are recorded in step and layer order by whoever waits for them, so the tables are the
/// same as with one thread.
/// </summary>
/// <remarks>
/// Dedicated threads rather than the .NET thread pool: each fixes its own torch thread count once (OpenMP's count
/// is per calling thread), so a unit's numbers never depend on which thread ran it, and the permutation test's
/// <c>Parallel.For</c> on the pool does not queue behind spectra. The number of units in flight is bounded by the
/// background queue, which holds each step's factors until its spectra are recorded.
/// </remarks>
internal sealed class SpectraWorkerPool : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread[] _threads;

    /// <summary>Starts <paramref name="count"/> threads, each running torch on <paramref name="torchThreads"/> threads.</summary>
    public SpectraWorkerPool(int count, int torchThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(torchThreads, 1);
        Count = count;
        TorchThreads = torchThreads;
        // The caller's own count is fixed before the workers change the default that new torch threads start from.
        _ = TorchSharp.torch.get_num_threads();
        _threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = $"autospec-spectra-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Number of threads.</summary>
    public int Count { get; }

    /// <summary>Torch intra-op threads of each.</summary>
    public int TorchThreads { get; }

    /// <summary>
    /// How many worker threads introspection uses when the option asks for <paramref name="requested"/> (0 = auto: the
    /// cores training leaves free, at least 1).
    /// </summary>
    public static int Resolve(int requested, int trainingThreads) =>
        requested > 0 ? requested : Math.Max(1, Environment.ProcessorCount - trainingThreads);

    /// <summary>
    /// Runs one queued unit on the calling thread, if one is waiting: the training thread does so while it waits for
    /// the background thread, using its own core instead of leaving it idle. Only for a caller on the workers' torch
    /// thread count, so that a unit's numbers do not depend on who ran it.
    /// </summary>
    /// <returns>Whether a unit was run.</returns>
    public bool TryRunOne()
    {
        if (!_queue.TryTake(out var work))
        {
            return false;
        }
        work();
        return true;
    }

    /// <summary>Queues a unit of work; the task ends with its result or its exception.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private void Loop()
    {
        TorchSharp.torch.set_num_threads(TorchThreads);
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work();
        }
    }

    /// <summary>Finishes the queued units and stops the threads.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var t in _threads)
        {
            t.Join();
        }
        _queue.Dispose();
    }
}
