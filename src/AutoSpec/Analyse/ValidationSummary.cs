using MathNet.Numerics.Distributions;

namespace AutoSpec.Analyse;

/// <summary>
/// Per condition: the share of analyses with any FDR-significant finding (power for a planted effect, the
/// false-positive rate for None) with its exact Clopper–Pearson 95% interval (Beta quantiles from MathNet).
/// </summary>
/// <param name="Condition">Planted effect (none = null).</param>
/// <param name="Analyses">Analyses run.</param>
/// <param name="Detected">Analyses with at least one significant test.</param>
/// <param name="Rate">Detected / Analyses.</param>
/// <param name="Low">Lower 95% bound.</param>
/// <param name="High">Upper 95% bound.</param>
/// <param name="Failed">Analyses that failed (not counted in <paramref name="Analyses"/>).</param>
public sealed record ValidationSummary(string Condition, int Analyses, int Detected, double Rate, double Low, double High, int Failed = 0)
{
    /// <summary>Summarises the analyses of one condition.</summary>
    public static ValidationSummary Of(string condition, IReadOnlyList<ValidationAnalysisRow> all)
    {
        var rows = all.Where(r => r.Error is null).ToList();
        int n = rows.Count, k = rows.Count(r => r.Detected);
        double low = k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, 0.025);
        double high = k == n ? 1 : Beta.InvCDF(k + 1, n - k, 0.975);
        return new ValidationSummary(condition, n, k, n == 0 ? 0 : (double)k / n, low, high, all.Count - n);
    }
}
