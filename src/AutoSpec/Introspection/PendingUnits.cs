namespace AutoSpec.Introspection;

/// <summary>
/// Independent units of one step's work (a layer's spectra, a layer's σ(W)), started on the worker pool as soon as
/// they are known, or, without a pool, computed one by one when their results are taken. Results are taken in the
/// order the units were given, so that what is recorded does not depend on which thread finished first.
/// </summary>
internal sealed class PendingUnits<T>
{
    private readonly IReadOnlyList<Func<T>>? _inline;
    private readonly List<Task<T>>? _started;

    private PendingUnits(IReadOnlyList<Func<T>>? inline, List<Task<T>>? started)
    {
        _inline = inline;
        _started = started;
    }

    /// <summary>Starts the units on the pool, or keeps them for <see cref="InOrder"/> when there is none.</summary>
    public static PendingUnits<T> Start(SpectraWorkerPool? pool, IEnumerable<Func<T>> units) =>
        pool is null ? new([.. units], null) : new(null, [.. units.Select(pool.Run)]);

    /// <summary>
    /// Hands every unit's result to <paramref name="take"/> in order; rethrows the first unit's error. Returns only
    /// when no unit is running any more, so the caller may then release what the units read.
    /// </summary>
    public void InOrder(Action<T> take)
    {
        if (_inline is not null)
        {
            foreach (var unit in _inline)
            {
                take(unit());
            }
            return;
        }
        try
        {
            foreach (var unit in _started!)
            {
                take(unit.GetAwaiter().GetResult());
            }
        }
        finally
        {
            Wait();
        }
    }

    /// <summary>Waits until no unit is running (their errors are left to <see cref="InOrder"/>).</summary>
    public void Wait()
    {
        if (_started is null)
        {
            return;
        }
        try
        {
            Task.WaitAll(_started);
        }
        catch (AggregateException)
        {
            // A unit's own error is rethrown where its result is taken; here only the end of every unit matters.
        }
    }
}
