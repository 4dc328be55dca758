namespace AutoSpec.Analyse;

/// <summary>
/// The outcome of one hypothesis test. <see cref="PValue"/> is null unless <see cref="Status"/> is
/// <see cref="TestStatus.Ok"/>: a test that cannot be run never reports a p-value of 0 or 1 as if it were a result.
/// </summary>
/// <param name="Test">Name of the test, e.g. "wilcoxon_exact", "paired_t", "welch_t", "mann_whitney_asymptotic".</param>
/// <param name="Statistic">Test statistic in the convention of scipy.stats (null when not computed).</param>
/// <param name="PValue">Two-sided p-value (null when the test could not be run).</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of t tests (null otherwise).</param>
/// <param name="N">Replicates used (pairs, or n₁ + n₂ for two-sample tests).</param>
/// <param name="Status">Whether the test could be run.</param>
/// <param name="Note">Plain-words reason when it could not, or a caveat (e.g. smallest attainable p).</param>
public sealed record TestResult(
    string Test,
    double? Statistic,
    double? PValue,
    double? DegreesOfFreedom,
    int N,
    TestStatus Status,
    string? Note)
{
    /// <summary>A test that could not be run.</summary>
    public static TestResult NotRun(string test, int n, TestStatus status, string note) =>
        new(test, null, null, null, n, status, note);
}
