namespace AutoSpec.Validation;

/// <summary>One analysis of a validation experiment.</summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Analysis">0-based index within the scenario.</param>
/// <param name="Seeds">Seeds of its runs.</param>
/// <param name="Tests">Tests with a p-value (the FDR family size).</param>
/// <param name="Significant">Tests significant after FDR.</param>
/// <param name="SmallestAdjustedP">Smallest FDR-adjusted p-value.</param>
/// <param name="Detected">At least one FDR-significant test.</param>
/// <param name="Seconds">Wall time of its runs and analysis.</param>
/// <param name="Error">Why the analysis failed (a run crashed); a failed analysis stays in the denominator (<see cref="ValidationSummary"/>).</param>
internal sealed record ValidationAnalysisRow(
    string Scenario, int Analysis, string Seeds, int Tests, int Significant, double? SmallestAdjustedP, bool Detected, double Seconds,
    string? Error = null);
