using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// A metric of one group's spectrum averaged over the recorded steps of one epoch of one run: a descriptive value
/// (epoch_values, the report's trajectories), not a test: it moves with the group's number of samples.
/// </summary>
/// <param name="Run">Run id.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="Fold">Fold of the run.</param>
/// <param name="Layer">Layer name.</param>
/// <param name="Quantity">grad, act, delta or weight.</param>
/// <param name="Group">Group name.</param>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Metric">Metric column of metrics.parquet.</param>
/// <param name="Value">Mean over the steps where the group was present and the metric defined.</param>
/// <param name="Steps">Number of steps averaged.</param>
public sealed record EpochValue(
    string Run, int Seed, int Fold, string Layer, string Quantity, string Group, int Epoch, string Metric, double Value, int Steps)
{
    /// <summary>Per run, layer, quantity, group, epoch and metric: the mean over the steps where it is defined.</summary>
    public static List<EpochValue> Collect(IReadOnlyList<RunData> runs, GroupComparisonOptions options, List<string>? notes = null)
    {
        var result = new List<EpochValue>();
        var quantities = options.Quantities.ToHashSet(StringComparer.Ordinal);
        var layers = options.Layers?.ToHashSet(StringComparer.Ordinal);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var layer = run.MetricText(RunColumns.Layer);
            var group = run.MetricText(RunColumns.Group);
            var quantity = run.MetricText(RunColumns.Quantity);
            var epoch = run.MetricColumn<int>(RunColumns.Epoch)!;
            var present = run.MetricColumn<bool>(RunColumns.Present);
            var sums = new Dictionary<(string, string, string, int, string), (double Sum, int Count)>();
            foreach (var metric in options.Metrics)
            {
                var column = run.MetricColumn<double>(metric);
                if (column is null)
                {
                    missing.Add(metric);
                    continue;
                }
                for (int i = 0; i < column.Length; i++)
                {
                    if (column[i] is not double v || !double.IsFinite(v) || present?[i] == false
                        || !quantities.Contains(quantity[i]!) || (layers is not null && !layers.Contains(layer[i]!)))
                    {
                        continue;
                    }
                    var key = (layer[i]!, quantity[i]!, group[i]!, epoch[i]!.Value, metric);
                    var (s, c) = sums.GetValueOrDefault(key);
                    sums[key] = (s + v, c + 1);
                }
            }
            foreach (var ((l, q, g, e, m), (s, c)) in sums)
            {
                result.Add(new EpochValue(run.Run, run.Seed, run.Fold, l, q, g, e, m, s / c, c));
            }
        }
        if (missing.Count > 0)
        {
            notes?.Add($"metrics not in every run's metrics.parquet (older format?): {string.Join(", ", missing)}");
        }
        return result.OrderBy(v => v.Run, StringComparer.Ordinal).ThenBy(v => v.Layer, StringComparer.Ordinal)
            .ThenBy(v => v.Quantity, StringComparer.Ordinal).ThenBy(v => v.Metric, StringComparer.Ordinal)
            .ThenBy(v => v.Group, StringComparer.Ordinal).ThenBy(v => v.Epoch).ToList();
    }
}
