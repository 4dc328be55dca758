using MathNet.Numerics.Statistics;

namespace AutoSpec.Analyse;

/// <summary>Average ranks (MathNet) and the tie counts that rank tests need for their variance corrections.</summary>
internal static class Ranking
{
    /// <summary>1-based ranks, ties sharing their average rank (scipy.stats.rankdata's default).</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values) =>
        Statistics.Ranks(values, RankDefinition.Average);

    /// <summary>Σ (t³ − t) over groups of tied values; 0 without ties.</summary>
    public static double TieTerm(IReadOnlyList<double> values) =>
        values.GroupBy(v => v).Select(g => (double)g.Count()).Sum(t => t * t * t - t);

    /// <summary>Whether any value occurs more than once.</summary>
    public static bool HasTies(IReadOnlyList<double> values) => values.Distinct().Count() < values.Count;
}
