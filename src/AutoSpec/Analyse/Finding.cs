namespace AutoSpec.Analyse;

/// <summary>
/// A group difference found in one layer, quantity and metric: the epochs where it is FDR-significant, the strongest
/// of them, and a sentence saying it in plain words.
/// </summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Quantity">grad, act, delta or weight.</param>
/// <param name="Metric">Metric column.</param>
/// <param name="GroupA">Reference group.</param>
/// <param name="GroupB">Compared group.</param>
/// <param name="Epochs">Significant epochs, ascending.</param>
/// <param name="FromEpoch">The first epoch of a run of significant epochs lasting to the last epoch tested, if any.</param>
/// <param name="Strongest">The significant test with the smallest adjusted p-value.</param>
/// <param name="Sentence">The finding in plain words.</param>
public sealed record Finding(
    string Layer, string Quantity, string Metric, string GroupA, string GroupB, IReadOnlyList<int> Epochs,
    int? FromEpoch, GroupTestRow Strongest, string Sentence);
