namespace AutoSpec.Report;

/// <summary>
/// The value range of an effect-size plot, set by the point estimates (and zero) rather than by their intervals: one
/// very wide interval (a window whose null spread is large) would otherwise squeeze every estimate into a line.
/// Intervals reaching beyond the range are cut at its edge, and the plot marks where.
/// </summary>
/// <param name="Low">Lower end of the axis.</param>
/// <param name="High">Upper end of the axis.</param>
internal readonly record struct EffectAxis(double Low, double High)
{
    /// <summary>Share of the estimates' span added on each side, so that intervals of ordinary width still show whole.</summary>
    public const double Margin = 0.35;

    /// <summary>The range spanning every finite estimate and zero, widened by <see cref="Margin"/> of its span on each side.</summary>
    public static EffectAxis Of(IEnumerable<double> estimates)
    {
        double low = 0, high = 0;
        foreach (var e in estimates.Where(double.IsFinite))
        {
            low = Math.Min(low, e);
            high = Math.Max(high, e);
        }
        double span = high - low;
        if (span == 0)
        {
            span = 1;
        }
        return new EffectAxis(low - Margin * span, high + Margin * span);
    }

    /// <summary>Whether an interval end lies outside the range (and is drawn cut at the edge).</summary>
    public bool Cuts(double low, double high) => low < Low || high > High;

    /// <summary>The interval end clamped into the range.</summary>
    public double Clamp(double value) => Math.Clamp(value, Low, High);
}
