namespace AutoSpec.Spectra;

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
/// <param name="SpectralDecay">
/// Least-squares slope of ln σ_k over k (k = 1, 2, …) among the values above σ₁·10⁻⁶; scale-free, so it needs no
/// group-size normalisation. Null with fewer than two such values.
/// </param>
internal sealed record SpectrumSummary(
    double Sigma1,
    double Frobenius,
    double Nuclear,
    double? StableRank,
    double? EffectiveRank,
    double TopKSum,
    double? TopKFraction,
    double? SpectralDecay)
{
    /// <summary>
    /// Values below σ₁ times this are left out of the decay slope: spectra come from float32 gradients, so such
    /// values are rounding noise whose logarithms would dominate the fit.
    /// </summary>
    public const double DecayRelativeFloor = 1e-6;

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
            sum > 0 ? topSum / sum : null,
            Decay(sigma));
    }

    /// <summary>Slope of ln σ_k against k by ordinary least squares (closed form for a straight line).</summary>
    public static double? Decay(IReadOnlyList<double> sigma)
    {
        if (sigma.Count < 2 || !(sigma[0] > 0))
        {
            return null;
        }
        double floor = sigma[0] * DecayRelativeFloor;
        double n = 0, sk = 0, sy = 0, skk = 0, sky = 0;
        for (int i = 0; i < sigma.Count; i++)
        {
            if (sigma[i] > floor)
            {
                double k = i + 1, y = Math.Log(sigma[i]);
                n++;
                sk += k;
                sy += y;
                skk += k * k;
                sky += k * y;
            }
        }
        double denominator = n * skk - sk * sk;
        return n >= 2 && denominator > 0 ? (n * sky - sk * sy) / denominator : null;
    }
}
