namespace AutoSpec.Analyse;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
public sealed record ConfidenceInterval(double Low, double High, double Level);
