using AutoSpec.Capture;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// The Gram blocks a permutation test over subjects needs from one layer at one step (<see cref="GramStep"/>).
/// A relabelling moves whole subjects, so only each subject's gradient G_s = A_sᵀΔ_s must be reproduced exactly, not
/// its rows: a subject with more rows than r = min(p, q) (convolution positions, time steps) is first compressed to
/// r rows by a thin QR of its narrower factor (A_s = QR gives G_s = Rᵀ(QᵀΔ_s); Δ_s = QR gives G_s = (QᵀA_s)ᵀR).
/// Every group's gradient, a sum of its subjects' G_s, and hence its spectrum stay exact, while the blocks hold at
/// most Σ_s min(n_s, r) rows. Blocks of single subjects alone would not do: σ(G_g) needs the cross terms G_sᵀG_t.
/// </summary>
internal static class SubjectGram
{
    /// <summary>
    /// Builds the step's blocks, or returns null with the number of rows when the compressed rows exceed
    /// <paramref name="maxRows"/> (memory is 16·rows² bytes per layer and step).
    /// </summary>
    /// <param name="factors">A and Δ of the layer.</param>
    /// <param name="sampleSubject">Window subject index of every batch sample.</param>
    /// <param name="maxRows">Largest number of rows kept.</param>
    public static (GramStep? Step, int Rows) Build(LayerFactors factors, int[] sampleSubject, int maxRows)
    {
        using var scope = NewDisposeScope();
        int rank = (int)Math.Min(factors.P, factors.Q);
        var rowSubject = factors.RowSample.Select(s => sampleSubject[s]).ToArray();
        var bySubject = Enumerable.Range(0, rowSubject.Length).GroupBy(r => rowSubject[r]).OrderBy(g => g.Key)
            .Select(g => (Subject: g.Key, Rows: g.ToArray())).ToList();
        int total = bySubject.Sum(g => Math.Min(g.Rows.Length, rank));
        if (total > maxRows)
        {
            return (null, total);
        }
        var a = factors.Inputs.detach().to_type(ScalarType.Float64);
        var d = factors.Adjoints.detach().to_type(ScalarType.Float64);
        int[] compressedSubject;
        if (bySubject.All(g => g.Rows.Length <= rank))
        {
            // The common case (one row per sample, or few positions): the rows themselves.
            compressedSubject = rowSubject;
        }
        else
        {
            var aParts = new List<Tensor>();
            var dParts = new List<Tensor>();
            var subjects = new List<int>();
            foreach (var (subject, rows) in bySubject)
            {
                var index = tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64);
                var (ax, dx) = Compress(a.index_select(0, index), d.index_select(0, index), rank);
                aParts.Add(ax);
                dParts.Add(dx);
                subjects.AddRange(Enumerable.Repeat(subject, (int)ax.shape[0]));
            }
            a = cat(aParts, 0);
            d = cat(dParts, 0);
            compressedSubject = [.. subjects];
        }
        var ka = SingularValues.ToHost(a.mm(a.t()));
        var kd = SingularValues.ToHost(d.mm(d.t()));
        var samples = factors.RowSample.Distinct().GroupBy(s => sampleSubject[s]).ToDictionary(g => g.Key, g => g.Count());
        int batch = sampleSubject.Length;
        return (new GramStep(ka, kd, compressedSubject, rank, samples, batch), compressedSubject.Length);
    }

    /// <summary>Factors with at most min(n, p, q) rows and the same product AᵀΔ.</summary>
    private static (Tensor A, Tensor Delta) Compress(Tensor a, Tensor d, int rank)
    {
        if (a.shape[0] <= rank)
        {
            return (a, d);
        }
        if (a.shape[1] <= d.shape[1])
        {
            var (q, r) = linalg.qr(a);
            return (r, q.t().mm(d));
        }
        var (qd, rd) = linalg.qr(d);
        return (qd.t().mm(a), rd);
    }
}
