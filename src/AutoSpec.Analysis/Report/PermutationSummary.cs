using AutoSpec.Analyse;

namespace AutoSpec.Report;

/// <summary>The permutation verdicts counted per layer, metric and pair, instead of one row per test.</summary>
internal static class PermutationSummary
{
    /// <summary>The pooled tests of one layer, metric and pair of groups.</summary>
    /// <param name="Layer">Layer name.</param>
    /// <param name="Metric">Tested metric.</param>
    /// <param name="GroupA">Reference group of the pair.</param>
    /// <param name="GroupB">Later group of the pair (differences are B − A).</param>
    /// <param name="Windows">Windows of steps tested (the whole-run test apart).</param>
    /// <param name="WithP">Of those, windows with a p-value.</param>
    /// <param name="Higher">Significant windows with the later group higher.</param>
    /// <param name="Lower">Significant windows with the later group lower.</param>
    /// <param name="Strongest">The window with the smallest adjusted p (ties: the largest |z|), if any has a p-value.</param>
    /// <param name="WholeRun">The whole-run test, if there is one.</param>
    public sealed record Row(string Layer, string Metric, string GroupA, string GroupB, int Windows, int WithP, int Higher, int Lower,
        SubjectTestRow? Strongest, SubjectTestRow? WholeRun);

    /// <summary>Each run's own tests of one layer, metric and pair.</summary>
    /// <param name="Layer">Layer name.</param>
    /// <param name="Metric">Tested metric.</param>
    /// <param name="Pair">"B − A", or – for a test without a pair.</param>
    /// <param name="Runs">Runs with such tests.</param>
    /// <param name="Tests">Run-level tests.</param>
    /// <param name="Below05">Run-level tests with an uncorrected p below 0.05.</param>
    /// <param name="SameSign">Run-level tests whose excess has the sign of the pooled test of the same window; null when no pooled test matches.</param>
    public sealed record PerRunRow(string Layer, string Metric, string Pair, int Runs, int Tests, int Below05, int? SameSign);

    /// <summary>One row per layer, metric and pair, in the order the tests came.</summary>
    public static List<Row> Of(IEnumerable<SubjectTestRow> tests) =>
        tests.Where(t => t.GroupA.Length > 0).GroupBy(t => (t.Layer, t.Metric, t.GroupA, t.GroupB)).Select(g =>
        {
            var windows = g.Where(t => t.Window == SubjectTestRow.OneWindow).ToList();
            return new Row(g.Key.Layer, g.Key.Metric, g.Key.GroupA, g.Key.GroupB, windows.Count, windows.Count(t => t.P is not null),
                windows.Count(t => t.Significant && t.Excess > 0), windows.Count(t => t.Significant && t.Excess < 0),
                windows.Where(t => t.PAdjusted is not null).OrderBy(t => t.PAdjusted).ThenByDescending(t => Math.Abs(t.Z ?? 0)).FirstOrDefault(),
                g.FirstOrDefault(t => t.Window == SubjectTestRow.WholeRun));
        }).ToList();

    /// <summary>The runs' own tests counted per layer, metric and pair, with their agreement in sign with the pooled tests.</summary>
    public static List<PerRunRow> PerRun(IEnumerable<PermutationRow> runTests, IReadOnlyList<SubjectTestRow> pooled)
    {
        var pooledSign = pooled.Where(t => t.Window == SubjectTestRow.OneWindow && t.Excess is double e && e != 0)
            .GroupBy(t => (t.Layer, t.Metric, t.GroupA, t.GroupB, t.FirstStep, t.LastStep))
            .ToDictionary(g => g.Key, g => Math.Sign(g.First().Excess!.Value));
        return runTests.GroupBy(r => (r.Layer, r.Metric, r.GroupA, r.GroupB)).Select(g =>
        {
            int compared = 0, same = 0;
            foreach (var r in g)
            {
                if (r.Result.Excess is double e && pooledSign.TryGetValue((r.Layer, r.Metric, r.GroupA, r.GroupB, r.FirstStep, r.LastStep), out var sign))
                {
                    compared++;
                    same += Math.Sign(e) == sign ? 1 : 0;
                }
            }
            return new PerRunRow(g.Key.Layer, g.Key.Metric, g.Key.GroupA.Length > 0 ? $"{g.Key.GroupB} − {g.Key.GroupA}" : "–",
                g.Select(r => r.Run).Distinct().Count(), g.Count(), g.Count(r => r.Result.PValue < 0.05), compared > 0 ? same : null);
        }).ToList();
    }
}
