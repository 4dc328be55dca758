namespace AutoSpec.Analyse;

/// <summary>
/// Scalar summaries of one spectrum σ₁ ≥ σ₂ ≥ … ≥ 0 (DESIGN.md, "What a group spectrum depends on").
/// </summary>
/// <param name="Sigma1">Largest singular value (spectral norm).</param>
/// <param name="Frobenius">√Σσ².</param>
/// <param name="Nuclear">Σσ.</param>
/// <param name="StableRank">‖·‖²_F / σ₁²; null when σ₁ = 0.</param>
/// <param name="EffectiveRank">exp of the Shannon entropy of σ/Σσ (Roy and Vetterli 2007); null when Σσ = 0.</param>
/// <param name="TopKSum">Sum of the K largest values (the "K-spectral" metric).</param>
/// <param name="TopKFraction">TopKSum / Σσ: the spectrum divided by its sum, size-free; null when Σσ = 0.</param>
public sealed record SpectrumSummary(
    double Sigma1,
    double Frobenius,
    double Nuclear,
    double? StableRank,
    double? EffectiveRank,
    double TopKSum,
    double? TopKFraction)
{
    /// <summary>Summarises a descending spectrum.</summary>
    public static SpectrumSummary Of(IReadOnlyList<double> sigma, int topK)
    {
        double sum = 0, squares = 0, sigma1 = sigma.Count > 0 ? sigma[0] : 0;
        foreach (var s in sigma)
        {
            sum += s;
            squares += s * s;
        }
        double? effectiveRank = null;
        if (sum > 0)
        {
            double entropy = 0;
            foreach (var s in sigma)
            {
                double p = s / sum;
                if (p > 0)
                {
                    entropy -= p * Math.Log(p);
                }
            }
            effectiveRank = Math.Exp(entropy);
        }
        double topSum = sigma.Take(topK).Sum();
        return new SpectrumSummary(
            sigma1,
            Math.Sqrt(squares),
            sum,
            sigma1 > 0 ? squares / (sigma1 * sigma1) : null,
            effectiveRank,
            topSum,
            sum > 0 ? topSum / sum : null);
    }
}
