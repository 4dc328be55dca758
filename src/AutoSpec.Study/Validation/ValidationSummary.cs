using MathNet.Numerics.Distributions;

namespace AutoSpec.Validation;

/// <summary>
/// Per scenario: the share of analyses with any FDR-significant finding — the false-positive rate in a null
/// scenario, the power with a planted effect — with its exact Clopper–Pearson 95% interval (Beta quantiles from
/// MathNet). Failed analyses stay in the denominator and count against the product: as a false positive in a null
/// scenario, as a miss with a planted effect.
/// </summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="IsNull">True for a null scenario.</param>
/// <param name="Analyses">Analyses run (failed ones included).</param>
/// <param name="Detected">Analyses that completed with at least one significant test.</param>
/// <param name="Failed">Analyses that failed.</param>
/// <param name="Rate">False-positive rate (detected + failed) / analyses, or power detected / analyses.</param>
/// <param name="Low">Lower 95% bound.</param>
/// <param name="High">Upper 95% bound.</param>
internal sealed record ValidationSummary(string Scenario, bool IsNull, int Analyses, int Detected, int Failed, double Rate, double Low, double High)
{
    /// <summary>Summarises the analyses of one scenario.</summary>
    public static ValidationSummary Of(ValidationScenario scenario, IReadOnlyList<ValidationAnalysisRow> rows)
    {
        int n = rows.Count, failed = rows.Count(r => r.Error is not null), detected = rows.Count(r => r.Error is null && r.Detected);
        int k = scenario.IsNull ? detected + failed : detected;
        double low = k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, 0.025);
        double high = k == n ? 1 : Beta.InvCDF(k + 1, n - k, 0.975);
        return new ValidationSummary(scenario.Name, scenario.IsNull, n, detected, failed, n == 0 ? 0 : (double)k / n, low, high);
    }
}
