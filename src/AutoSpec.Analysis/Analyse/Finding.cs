namespace AutoSpec.Analyse;

/// <summary>
/// A group difference found in one layer and metric, in one direction: the windows where it is FDR-significant with
/// that sign, the strongest of them, and a sentence saying it in plain words. A difference that changes sign over
/// training is two findings.
/// </summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Metric">Metric of the statistic.</param>
/// <param name="GroupA">Reference group.</param>
/// <param name="GroupB">Compared group.</param>
/// <param name="Higher">True when group B's excess over same-size random groups is positive in these windows.</param>
/// <param name="Epochs">Epochs of the significant windows, ascending (the whole-run test has none).</param>
/// <param name="WholeRun">True when the whole-run test is significant with this sign too.</param>
/// <param name="When">Where it holds, in words ("in epochs 0–1, 3–19 and over the whole run").</param>
/// <param name="Strongest">The significant test with the smallest adjusted p-value.</param>
/// <param name="Sentence">The finding in plain words.</param>
public sealed record Finding(
    string Layer, string Metric, string GroupA, string GroupB, bool Higher, IReadOnlyList<int> Epochs, bool WholeRun, string When,
    SubjectTestRow Strongest,
    string Sentence);
