using System.Text.Json;

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

    /// <summary>Number of rows of the metrics table.</summary>
    public int MetricRows => Metrics.TryGetValue("run", out var c) ? c.Length : 0;

    /// <summary>A metrics column by name, or null when this run's table lacks it (older format).</summary>
    public T?[]? MetricColumn<T>(string name) where T : struct =>
        Metrics.TryGetValue(name, out var c) ? (T?[])c : null;

    /// <summary>A text column of the metrics table.</summary>
    public string?[] MetricText(string name) => (string?[])Metrics[name];
}
