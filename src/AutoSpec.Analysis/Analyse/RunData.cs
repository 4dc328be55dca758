using System.Text.Json;
using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// One run folder read for analysis: its manifest (identity, status, configuration) and its metrics and curves tables
/// as columns (see <see cref="Record.ParquetTableReader"/>).
/// </summary>
public sealed class RunData
{
    /// <summary>Full path of the run folder.</summary>
    public required string Directory { get; init; }

    /// <summary>Run id (the <c>run</c> column).</summary>
    public required string Run { get; init; }

    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>Fold of the run.</summary>
    public int Fold { get; init; }

    /// <summary>Manifest status: complete, running or failed.</summary>
    public required string Status { get; init; }

    /// <summary>The manifest's configuration object.</summary>
    public required JsonElement Configuration { get; init; }

    /// <summary>Columns of metrics.parquet (or of its flushed parts for an incomplete run).</summary>
    public required IReadOnlyDictionary<string, Array> Metrics { get; init; }

    /// <summary>Columns of curves.parquet (empty when absent).</summary>
    public required IReadOnlyDictionary<string, Array> Curves { get; init; }

    /// <summary>A metrics column by name, or null when this run's table lacks it (older format).</summary>
    public T?[]? MetricColumn<T>(string name) where T : struct =>
        Metrics.TryGetValue(name, out var c) ? (T?[])c : null;

    /// <summary>A text column of the metrics table.</summary>
    public string?[] MetricText(string name) => (string?[])Metrics[name];

    /// <summary>
    /// The per-step trajectory of one metric for one layer, quantity and group: steps ascending, only where the group
    /// was present and the value finite.
    /// </summary>
    public (long[] Steps, double[] Values) Series(string layer, string quantity, string group, string metric)
    {
        var values = MetricColumn<double>(metric);
        if (values is null)
        {
            return ([], []);
        }
        var layers = MetricText(RunColumns.Layer);
        var groups = MetricText(RunColumns.Group);
        var quantities = MetricText(RunColumns.Quantity);
        var steps = MetricColumn<long>(RunColumns.Step)!;
        var present = MetricColumn<bool>(RunColumns.Present);
        var points = new List<(long Step, double Value)>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is double v && double.IsFinite(v) && present?[i] != false && layers[i] == layer
                && groups[i] == group && quantities[i] == quantity)
            {
                points.Add((steps[i]!.Value, v));
            }
        }
        points.Sort((a, b) => a.Step.CompareTo(b.Step));
        return (points.Select(p => p.Step).ToArray(), points.Select(p => p.Value).ToArray());
    }

    /// <summary>Distinct values of a text column of the metrics table, sorted.</summary>
    public IReadOnlyList<string> Distinct(string column) =>
        MetricText(column).Where(v => v is not null).Select(v => v!).Distinct().Order(StringComparer.Ordinal).ToList();
}
