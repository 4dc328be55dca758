using TorchSharp;

namespace AutoSpec.Spectra;

/// <summary>
/// Runs the small float64 eigen/SVD problems of the routes on fewer torch threads than training uses.
/// </summary>
/// <remarks>
/// A 64×64 problem has nothing to share out, but an OpenMP team still forms and joins at every LAPACK call. On a
/// shared machine a team member that has lost its core makes the others wait for a scheduler slice: measured here
/// (2 cores, busy), a batch of small eigenproblems took 5–20× longer on 2 threads than on 1. The large factor
/// reductions (QR of p×n factors, products) stay multi-threaded. Changing the count is an OpenMP setting (well
/// under a microsecond), restored when the scope ends. Training loops are single-threaded callers, so the global
/// setting is safe to change between torch calls.
/// </remarks>
internal static class SmallProblemThreads
{
    /// <summary>Threads for the small problems: 1 (default), or 0 to leave torch's setting alone.</summary>
    public static int Count { get; set; } = 1;

    /// <summary>Switches to <see cref="Count"/> threads until the returned scope is disposed.</summary>
    internal static Scope Enter()
    {
        int before = torch.get_num_threads();
        if (Count <= 0 || Count >= before)
        {
            return new Scope(0);
        }
        torch.set_num_threads(Count);
        return new Scope(before);
    }

    /// <summary>Restores the thread count on dispose.</summary>
    internal readonly struct Scope(int restore) : IDisposable
    {
        public void Dispose()
        {
            if (restore > 0)
            {
                torch.set_num_threads(restore);
            }
        }
    }
}
