using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// Collects the small symmetric eigenproblems of one layer and step and solves them in as few LAPACK calls as
/// possible: problems of the same size are solved as one batch; a problem is zero-padded into the batch of a
/// slightly larger size (at most <see cref="PaddingSlack"/> times its own) rather than given its own call.
/// </summary>
/// <remarks>
/// Why: a call has a fixed cost that dominates the smallest problems (on a busy machine 9 separate 32×32 eigvalsh
/// calls took 1.8 ms, one batched call 0.4 ms), but padding is not free either: padded to 64, a 32×32 problem costs
/// what a 64×64 one does, ~3× its own (quiet machine: six 32×32 problems 0.21 ms as their own batch, nine problems
/// padded to 64 1.28 ms against 0.21 + 0.37 ms as two exact-size batches). Padding a symmetric matrix with zero rows
/// and columns only adds zero eigenvalues; the caller keeps at most as many values as the matrix had rows, the
/// largest ones, so the result is exact.
/// </remarks>
internal sealed class SymmetricEigenBatch
{
    /// <summary>How much larger than its own size a batch a problem is padded into may be.</summary>
    internal const double PaddingSlack = 1.1;

    private readonly List<(Tensor Matrix, long Keep)> _problems = [];

    /// <summary>Queues eig(<paramref name="symmetric"/>) (float64); returns the index of its result.</summary>
    public int Add(Tensor symmetric, long keep)
    {
        _problems.Add((symmetric, keep));
        return _problems.Count - 1;
    }

    /// <summary>
    /// Singular values (square roots of the eigenvalues, descending, at most keep) of every queued problem, in the
    /// order they were added.
    /// </summary>
    public double[][] SolveAsSingularValues()
    {
        using var scope = NewDisposeScope();
        var results = new double[_problems.Count][];
        var buckets = Enumerable.Range(0, _problems.Count).GroupBy(i => BatchSize(_problems[i].Matrix.shape[0]));
        foreach (var bucket in buckets)
        {
            var members = bucket.ToArray();
            long size = members.Max(i => _problems[i].Matrix.shape[0]);
            Tensor batch;
            if (members.Length == 1)
            {
                batch = _problems[members[0]].Matrix.unsqueeze(0);
            }
            else if (members.All(i => _problems[i].Matrix.shape[0] == size))
            {
                // Equal sizes (groups of equal size, the usual case) need no padding: one stack, not a copy per problem.
                batch = stack(members.Select(i => _problems[i].Matrix));
            }
            else
            {
                batch = zeros([members.Length, size, size], _problems[members[0]].Matrix.dtype);
                for (int b = 0; b < members.Length; b++)
                {
                    long n = _problems[members[b]].Matrix.shape[0];
                    batch[b, TensorIndex.Slice(0, n), TensorIndex.Slice(0, n)] = _problems[members[b]].Matrix;
                }
            }
            var values = SingularValues.ToHost(linalg.eigvalsh(batch));
            for (int b = 0; b < members.Length; b++)
            {
                results[members[b]] = SingularValues.FromSquared(values.AsSpan((int)(b * size), (int)size), _problems[members[b]].Keep);
            }
        }
        return results;
    }

    /// <summary>The size of the batch a problem of size n joins: the largest size queued within the slack above n.</summary>
    private long BatchSize(long n) =>
        _problems.Select(p => p.Matrix.shape[0]).Where(m => m >= n && m <= n * PaddingSlack).Max();
}
