using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AutoSpec;

/// <summary>
/// One background thread that does the introspection work of a run — spectra, recording, σ(W), permutation tests,
/// flushes — in the order the training thread posts it, so that it overlaps the next steps' forward and backward
/// passes on a core training leaves free.
/// </summary>
/// <remarks>
/// At most <c>capacity</c> items wait in the queue; a full queue makes the training thread wait (counted as
/// <see cref="IntrospectionPhase.Waiting"/>), which bounds the factors held in memory to that many steps. The thread
/// runs torch on its own thread count, set once on this thread: OpenMP's thread count is per calling thread, so the
/// training thread keeps its own (it is initialised before the worker starts; see the constructor). The first error
/// stops the work: later items are discarded (their tensors released) and the error is rethrown on the training
/// thread at its next call.
/// </remarks>
internal sealed class IntrospectionWorker : IDisposable
{
    /// <summary>Work posted to the thread: <see cref="Run"/> it, or <see cref="Discard"/> it after an earlier error.</summary>
    internal interface IItem
    {
        /// <summary>Does the work (and releases what it holds).</summary>
        void Run();

        /// <summary>Releases what the item holds without doing the work.</summary>
        void Discard();
    }

    private readonly BlockingCollection<IItem> _queue;
    private readonly Thread _thread;
    private readonly IntrospectionTimings _timings;
    private readonly object _gate = new();
    private int _pending;
    private ExceptionDispatchInfo? _error;

    /// <summary>Starts the thread.</summary>
    /// <param name="capacity">Items that may wait while one runs.</param>
    /// <param name="torchThreads">Torch intra-op threads of the background thread.</param>
    /// <param name="timings">Where the training thread's waiting time is added.</param>
    public IntrospectionWorker(int capacity, int torchThreads, IntrospectionTimings timings)
    {
        _queue = new BlockingCollection<IItem>(capacity);
        _timings = timings;
        // Fix the calling (training) thread's count before the worker changes the process-wide default that threads
        // which have not used torch yet start from.
        _ = TorchSharp.torch.get_num_threads();
        _thread = new Thread(() => Loop(torchThreads)) { IsBackground = true, Name = "autospec-introspection" };
        _thread.Start();
    }

    /// <summary>Torch threads the background thread runs on when the training thread uses <paramref name="trainingThreads"/>: the cores left, at least 1.</summary>
    public static int ThreadsBeside(int trainingThreads) => Math.Max(1, Environment.ProcessorCount - trainingThreads);

    /// <summary>Queues work; waits while the queue is full; rethrows an earlier error of the worker.</summary>
    public void Post(IItem item)
    {
        try
        {
            ThrowIfFailed();
        }
        catch
        {
            item.Discard();
            throw;
        }
        lock (_gate)
        {
            _pending++;
        }
        long clock = Stopwatch.GetTimestamp();
        _queue.Add(item);
        _timings.Add(IntrospectionPhase.Waiting, clock);
    }

    /// <summary>Waits until everything posted is done; rethrows the worker's error.</summary>
    public void Drain()
    {
        long clock = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (_pending > 0)
            {
                Monitor.Wait(_gate);
            }
        }
        _timings.Add(IntrospectionPhase.Waiting, clock);
        ThrowIfFailed();
    }

    /// <summary>Waits until everything posted is done or discarded, ignoring errors (when the run already failed).</summary>
    public void Quiesce()
    {
        lock (_gate)
        {
            while (_pending > 0)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    private void ThrowIfFailed() => Volatile.Read(ref _error)?.Throw();

    private void Loop(int torchThreads)
    {
        TorchSharp.torch.set_num_threads(torchThreads);
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (Volatile.Read(ref _error) is null)
                {
                    item.Run();
                }
                else
                {
                    item.Discard();
                }
            }
            catch (Exception e)
            {
                Volatile.Write(ref _error, ExceptionDispatchInfo.Capture(e));
            }
            finally
            {
                lock (_gate)
                {
                    _pending--;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Finishes the queued work (errors are kept for nobody) and stops the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
