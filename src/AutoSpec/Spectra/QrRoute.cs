using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// QR route, one reduction per layer and step, all groups in one batch.
/// </summary>
/// <remarks>
/// <para>
/// Thin QR of the whole batch, Aᵀ = Q₁R₁ (when p &gt; n; otherwise R₁ = Aᵀ), and likewise Δᵀ = Q₂R₂. The rows of a
/// group g are columns of R: A_gᵀ = Q₁ R₁[:, g], so σ(A_g) = σ(R₁[:, g]), σ(Δ_g) = σ(R₂[:, g]) and
/// σ(G_g) = σ(R₁[:, g] R₂[:, g]ᵀ) — the large QR runs once per layer instead of once per group. Each group's R₁[:, g]
/// and R₂[:, g] are reduced again by a small QR to n_g columns, so every group costs a few n_g×n_g problems.
/// </para>
/// <para>
/// Groups are batched: their columns are gathered into one (groups × r × m) tensor, padded with zero columns to the
/// largest group (m). Zero columns leave every non-zero singular value unchanged and add only zeros, which are cut
/// off with the structural count min(n_g, p, q). The whole-batch group ("all") is a batch of its own (no padding).
/// The large QR and the small problems run in the working precision (the small ones single-threaded,
/// <see cref="SmallProblemThreads"/>). All spectra of a layer leave native memory in one copy.
/// </para>
/// </remarks>
internal sealed class QrRoute(LayerFactors factors, ScalarType working) : IDisposable
{
    private Tensor? _r1;
    private Tensor? _r2;

    /// <summary>R₁ (min(p, n)×(n + 1), working precision): the last column is zero and serves as padding.</summary>
    private Tensor R1 => _r1 ??= Reduce(factors.Inputs, working);

    /// <summary>R₂ (min(q, n)×(n + 1), float64), padded like <see cref="R1"/>.</summary>
    private Tensor R2 => _r2 ??= Reduce(factors.Adjoints, working);

    /// <summary>The triangular factor of Xᵀ (or Xᵀ itself when it is not taller than wide), one zero column appended.</summary>
    private static Tensor Reduce(Tensor x, ScalarType working)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], cols = x.shape[1];
        // In the working precision from the start: a float32 QR leaves errors of a few 1e-6·σ₁ in every group's
        // spectrum, where in float64 every route agrees with an explicit SVD to float64 accuracy.
        var xw = x.to_type(working);
        var r = cols > n ? linalg.qr(xw.t(), linalg.QRMode.R).Item2 : xw.t();
        var padded = zeros(r.shape[0], n + 1, working);
        padded.narrow(1, 0, n).copy_(r);
        return padded.DetachFromDisposeScope();
    }

    /// <summary>Spectra of the given groups, in the given order.</summary>
    public List<GroupSpectra> Compute(IReadOnlyList<GroupRows> groups, SpectrumQuantities q)
    {
        if (groups.Count == 0)
        {
            return [];
        }
        using var scope = NewDisposeScope();
        int n = factors.Rows;
        bool needA = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Act)) != 0;
        bool needD = (q & (SpectrumQuantities.Grad | SpectrumQuantities.Delta)) != 0;
        var r1 = needA ? R1 : null;
        var r2 = needD ? R2 : null;
        var pieces = new List<(Tensor Values, int[] Members, SpectrumQuantities Quantity)>();
        using (SmallProblemThreads.Enter())
        {
            // The whole batch is never padded; groups are padded to the largest one among them.
            var full = Enumerable.Range(0, groups.Count).Where(i => groups[i].RowCount == n).ToArray();
            var part = Enumerable.Range(0, groups.Count).Where(i => groups[i].RowCount != n).ToArray();
            foreach (var members in new[] { full, part })
            {
                if (members.Length == 0)
                {
                    continue;
                }
                int width = members.Max(i => groups[i].RowCount);
                var index = members.Length == 1 && width == n ? null : PaddedIndex(groups, members, width, n);
                var x = r1 is null ? null : Gather(r1, index, members.Length, width, n);
                var y = r2 is null ? null : Gather(r2, index, members.Length, width, n);
                if (q.HasFlag(SpectrumQuantities.Grad))
                {
                    pieces.Add((linalg.svdvals(x!.matmul(y!.transpose(1, 2))), members, SpectrumQuantities.Grad));
                }
                if (q.HasFlag(SpectrumQuantities.Act))
                {
                    pieces.Add((linalg.svdvals(x!), members, SpectrumQuantities.Act));
                }
                if (q.HasFlag(SpectrumQuantities.Delta))
                {
                    pieces.Add((linalg.svdvals(y!), members, SpectrumQuantities.Delta));
                }
            }
        }
        // One copy out of native memory for every spectrum of the layer.
        var host = SingularValues.ToHost(cat(pieces.Select(p => p.Values.flatten()).ToArray()));
        var grad = new double[]?[groups.Count];
        var act = new double[]?[groups.Count];
        var delta = new double[]?[groups.Count];
        int offset = 0;
        foreach (var (values, members, quantity) in pieces)
        {
            int count = (int)values.shape[1];
            for (int b = 0; b < members.Length; b++, offset += count)
            {
                var g = groups[members[b]];
                long keep = quantity switch
                {
                    SpectrumQuantities.Grad => Math.Min(g.RowCount, Math.Min(factors.P, factors.Q)),
                    SpectrumQuantities.Act => Math.Min(g.RowCount, factors.P),
                    _ => Math.Min(g.RowCount, factors.Q),
                };
                var target = quantity == SpectrumQuantities.Grad ? grad : quantity == SpectrumQuantities.Act ? act : delta;
                target[members[b]] = SingularValues.Descending(host.AsSpan(offset, count), keep);
            }
        }
        return [.. groups.Select((g, i) => new GroupSpectra(g, SpectrumRoute.Qr, grad[i], act[i], delta[i]))];
    }

    /// <summary>Column indices of every member, each padded to <paramref name="width"/> with the zero column n.</summary>
    private static Tensor PaddedIndex(IReadOnlyList<GroupRows> groups, int[] members, int width, int n)
    {
        var index = new long[members.Length * width];
        for (int b = 0; b < members.Length; b++)
        {
            var rows = groups[members[b]].Rows;
            rows.CopyTo(index, b * width);
            Array.Fill(index, n, (b * width) + rows.Length, width - rows.Length);
        }
        return tensor(index, ScalarType.Int64);
    }

    /// <summary>
    /// The members' columns of R as a (members × k × width) batch, reduced by a small QR to k = min(rows of R, width)
    /// rows when R has more rows than the group has columns.
    /// </summary>
    private static Tensor Gather(Tensor r, Tensor? index, int members, int width, int n)
    {
        long rows = r.shape[0];
        var x = index is null
            ? r.narrow(1, 0, n).unsqueeze(0)
            : r.index_select(1, index).view(rows, members, width).permute(1, 0, 2);
        return rows > width ? linalg.qr(x, linalg.QRMode.R).Item2 : x;
    }

    public void Dispose()
    {
        _r1?.Dispose();
        _r2?.Dispose();
    }
}
