using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AutoSpec.Introspection;

/// <summary>
/// One background thread that does the introspection work of a run — spectra, recording, σ(W), permutation tests,
/// flushes — in the order the training thread posts it, so that it overlaps the next steps' forward and backward
/// passes on a core training leaves free.
/// </summary>
/// <remarks>
/// Back-pressure: the training thread waits (counted as <see cref="IntrospectionPhase.Waiting"/>) while
/// <c>capacity</c> items are unfinished, or while the tensors they hold would exceed <c>budgetBytes</c> — but never
/// when nothing is pending, so one step of any size always goes through. Queueing several small steps lets the
/// thread absorb bursts (σ(W) at an epoch's first step, the epoch-end flush) without stalling training; the byte
/// budget keeps memory flat for models whose factors are large (a 3D-CNN step holds hundreds of MB).
/// The thread runs torch on its own thread count, set once on this thread: OpenMP's thread count is per calling
/// thread, so the training thread keeps its own (it is initialised before the worker starts; see the constructor).
/// The first error stops the work: later items are discarded (their tensors released) and the error is rethrown on
/// the training thread at its next call.
/// </remarks>
internal sealed class IntrospectionWorker : IDisposable
{
    /// <summary>Work posted to the thread: <see cref="Run"/> it, or <see cref="Discard"/> it after an earlier error.</summary>
    internal interface IItem
    {
        /// <summary>Bytes of tensors the item holds until it has run (for the budget).</summary>
        long Bytes { get; }

        /// <summary>Does the work (and releases what it holds).</summary>
        void Run();

        /// <summary>Releases what the item holds without doing the work.</summary>
        void Discard();
    }

    private readonly Queue<IItem> _queue = new();
    private readonly Thread _thread;
    private readonly IntrospectionTimings _timings;
    private readonly int _capacity;
    private readonly long _budgetBytes;
    private readonly object _gate = new();
    private int _pending;
    private long _heldBytes;
    private bool _completed;
    private ExceptionDispatchInfo? _error;
    private readonly Func<bool>? _help;

    /// <summary>Starts the thread.</summary>
    /// <param name="capacity">Unfinished items (queued or running) beyond which the training thread waits.</param>
    /// <param name="budgetBytes">Bytes of tensors held by unfinished items beyond which the training thread waits.</param>
    /// <param name="torchThreads">Torch intra-op threads of the background thread.</param>
    /// <param name="timings">Where the training thread's waiting time is added.</param>
    /// <param name="help">
    /// Work the training thread may do instead of waiting (returns whether it did any): a spectra unit, so that its core
    /// is not idle while the spectra fall behind.
    /// </param>
    public IntrospectionWorker(int capacity, long budgetBytes, int torchThreads, IntrospectionTimings timings, Func<bool>? help = null)
    {
        _help = help;
        _capacity = capacity;
        _budgetBytes = budgetBytes;
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
        long clock = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (_error is null && _pending > 0 && (_pending >= _capacity || _heldBytes + item.Bytes > _budgetBytes))
            {
                WaitOrHelp();
            }
            if (_error is not null)
            {
                item.Discard();
                _error.Throw();
            }
            _pending++;
            _heldBytes += item.Bytes;
            _queue.Enqueue(item);
            Monitor.PulseAll(_gate);
        }
        _timings.Add(IntrospectionPhase.Waiting, clock);
    }

    /// <summary>Waits until everything posted is done; rethrows the worker's error.</summary>
    public void Drain()
    {
        long clock = Stopwatch.GetTimestamp();
        Quiesce();
        _timings.Add(IntrospectionPhase.Waiting, clock);
        Volatile.Read(ref _error)?.Throw();
    }

    /// <summary>Waits until everything posted is done (or discarded after an error), ignoring errors.</summary>
    public void Quiesce()
    {
        lock (_gate)
        {
            while (_pending > 0)
            {
                WaitOrHelp();
            }
        }
    }

    /// <summary>
    /// With the gate held: runs a unit of helping work outside the gate if there is one, or waits for the background
    /// thread's next pulse. Only the training thread queues units, and it is the one here, so none can be queued
    /// between a failed attempt and the wait.
    /// </summary>
    private void WaitOrHelp()
    {
        if (_help is not null)
        {
            Monitor.Exit(_gate);
            bool helped;
            try
            {
                helped = _help();
            }
            finally
            {
                Monitor.Enter(_gate);
            }
            if (helped)
            {
                return;
            }
        }
        Monitor.Wait(_gate);
    }

    private void Loop(int torchThreads)
    {
        TorchSharp.torch.set_num_threads(torchThreads);
        while (true)
        {
            IItem item;
            bool failed;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }
                if (_queue.Count == 0)
                {
                    return;
                }
                item = _queue.Dequeue();
                failed = _error is not null;
            }
            try
            {
                if (!failed)
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
                lock (_gate)
                {
                    _error ??= ExceptionDispatchInfo.Capture(e);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _pending--;
                    _heldBytes -= item.Bytes;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Finishes the queued work (errors are kept for nobody) and stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
    }
}
