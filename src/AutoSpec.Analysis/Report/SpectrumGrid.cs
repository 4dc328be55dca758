using AutoSpec.Record;

namespace AutoSpec.Report;

/// <summary>
/// Mean over runs of ln σ_k per step for one layer, quantity and group, from spectra.parquet: the data of the σ_k
/// heat maps (rows k = 1..K, columns = steps).
/// </summary>
internal sealed class SpectrumGrid
{
    private SpectrumGrid(long[] steps, int k, double[,] values)
    {
        Steps = steps;
        K = k;
        Values = values;
    }

    /// <summary>Steps, ascending (columns).</summary>
    public long[] Steps { get; }

    /// <summary>Number of singular values shown (rows).</summary>
    public int K { get; }

    /// <summary>[k, step] mean of ln σ_k over runs (NaN where no run has the value).</summary>
    public double[,] Values { get; }

    /// <summary>Reads the spectra tables of the runs that have them (columns run, layer, group, quantity, step, k, sigma).</summary>
    public static List<Dictionary<string, Array>> Load(IEnumerable<string> runDirectories) =>
        runDirectories.Select(d => Path.Combine(d, RunTable.Spectra + ".parquet")).Where(File.Exists)
            .Select(p => ParquetTableReader.ReadAsync([p]).GetAwaiter().GetResult()).ToList();

    /// <summary>The grid of one layer, quantity and group, keeping the top <paramref name="maxK"/> values; null if none.</summary>
    public static SpectrumGrid? Of(IReadOnlyList<Dictionary<string, Array>> spectra, string layer, string quantity, string group, int maxK)
    {
        var sums = new Dictionary<(long Step, int K), (double Sum, int Count)>();
        foreach (var table in spectra)
        {
            var layers = (string?[])table[RunColumns.Layer];
            var groups = (string?[])table[RunColumns.Group];
            var quantities = (string?[])table[RunColumns.Quantity];
            var steps = (long?[])table[RunColumns.Step];
            var ks = (int?[])table[RunColumns.K];
            var sigma = (double?[])table[RunColumns.Sigma];
            for (int i = 0; i < layers.Length; i++)
            {
                if (layers[i] == layer && groups[i] == group && quantities[i] == quantity && ks[i] <= maxK && sigma[i] > 0)
                {
                    var key = (steps[i]!.Value, ks[i]!.Value);
                    var (s, c) = sums.GetValueOrDefault(key);
                    sums[key] = (s + Math.Log(sigma[i]!.Value), c + 1);
                }
            }
        }
        if (sums.Count == 0)
        {
            return null;
        }
        var stepList = sums.Keys.Select(k => k.Step).Distinct().Order().ToArray();
        int k = sums.Keys.Max(x => x.K);
        var index = stepList.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var values = new double[k, stepList.Length];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < stepList.Length; c++)
            {
                values[r, c] = double.NaN;
            }
        }
        foreach (var ((step, kk), (s, c)) in sums)
        {
            values[kk - 1, index[step]] = s / c;
        }
        return new SpectrumGrid(stepList, k, values);
    }

    /// <summary>
    /// At most <paramref name="maxColumns"/> steps, evenly spaced over the recorded ones (first and last kept): a heat map
    /// of every step of a long run would make the page tens of megabytes and show no more at screen width.
    /// </summary>
    public SpectrumGrid Thin(int maxColumns)
    {
        if (Steps.Length <= maxColumns)
        {
            return this;
        }
        var keep = Enumerable.Range(0, maxColumns).Select(i => (int)Math.Round(i * (Steps.Length - 1) / (double)(maxColumns - 1))).Distinct().ToArray();
        var values = new double[K, keep.Length];
        for (int r = 0; r < K; r++)
        {
            for (int c = 0; c < keep.Length; c++)
            {
                values[r, c] = Values[r, keep[c]];
            }
        }
        return new SpectrumGrid(keep.Select(i => Steps[i]).ToArray(), K, values);
    }

    /// <summary>This grid minus another on the steps and k they share (NaN elsewhere).</summary>
    public SpectrumGrid Minus(SpectrumGrid other)
    {
        var index = other.Steps.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var values = new double[K, Steps.Length];
        for (int r = 0; r < K; r++)
        {
            for (int c = 0; c < Steps.Length; c++)
            {
                values[r, c] = r < other.K && index.TryGetValue(Steps[c], out var oc) ? Values[r, c] - other.Values[r, oc] : double.NaN;
            }
        }
        return new SpectrumGrid(Steps, K, values);
    }
}
