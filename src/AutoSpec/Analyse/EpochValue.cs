namespace AutoSpec.Analyse;

/// <summary>
/// A metric of one group's spectrum averaged over the recorded steps of one epoch of one run: the unit that the
/// across-run tests compare.
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
    string Run, int Seed, int Fold, string Layer, string Quantity, string Group, int Epoch, string Metric, double Value, int Steps);
