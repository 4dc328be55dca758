using System.Globalization;
using AutoSpec.Permutation;

namespace AutoSpec.Analyse;

/// <summary>
/// The primary verdict of an analysis (DESIGN.md, "Comparing groups honestly"): per layer, window of steps, metric and
/// pair of groups, a permutation test of group labels over subjects, sizes kept. A single run's test is the one it
/// recorded. Several runs on the same subjects evaluate the same relabellings in the same order
/// (<see cref="SubjectRelabelling"/>), so their statistics are averaged relabelling by relabelling and the average
/// is tested against the averaged null: still an exact permutation test whose n is the subjects, with training
/// seeds and folds averaged out rather than counted as replicates. p-values are then corrected over the family
/// (Benjamini–Hochberg by default).
/// </summary>
public static class SubjectLevelComparison
{
    /// <summary>Pools the runs' tests and corrects them for multiple comparisons.</summary>
    /// <param name="rows">Every run's tests (<see cref="PermutationAnalysis.Run"/>).</param>
    /// <param name="options">Layers, family, FDR procedure and level.</param>
    public static List<SubjectTestRow> Run(IReadOnlyList<PermutationRow> rows, GroupComparisonOptions options)
    {
        var tests = new List<SubjectTestRow>();
        var cells = rows.Where(r => options.Layers is null || options.Layers.Contains(r.Layer))
            .GroupBy(r => (r.Layer, r.FirstStep, r.LastStep, r.Metric, r.GroupA, r.GroupB))
            .OrderBy(c => c.Key.Layer, StringComparer.Ordinal).ThenBy(c => c.Key.Metric, StringComparer.Ordinal)
            .ThenBy(c => c.Key.GroupA, StringComparer.Ordinal).ThenBy(c => c.Key.GroupB, StringComparer.Ordinal)
            .ThenBy(c => c.Key.FirstStep).ThenBy(c => c.Key.LastStep);
        foreach (var cell in cells)
        {
            var all = cell.ToList();
            if (cell.Key.GroupA.Length == 0)
            {
                // A layer the runs could not test (too many rows): say so once per window.
                tests.Add(Row(all[0], all.Count) with { Note = all[0].Note });
                continue;
            }
            var tested = all.Where(r => r.Result.PValue is not null).ToList();
            if (tested.Count == 0)
            {
                tests.Add(Row(all[0], all.Count) with { Note = all[0].Note ?? "no window step had both groups" });
            }
            else if (tested.Count == 1)
            {
                tests.Add(Row(tested[0], 1) with { Note = tested[0].Note });
            }
            else if (Poolable(tested) is { } reason)
            {
                tests.AddRange(tested.Select(r => Row(r, 1) with { Note = $"run {r.Run} tested alone: {reason}" }));
            }
            else
            {
                tests.Add(Pooled(tested));
            }
        }
        tests.AddRange(WholeRuns(tests, rows));
        return Adjust(tests, options);
    }

    /// <summary>
    /// Per layer, metric and pair with several windows: the mean of the window statistics over the whole run, tested
    /// against the mean of their nulls. Every window of a run draws the same relabellings, so the mean is a
    /// permutation test too — the most powerful one for a difference that lasts through training, at the cost of one
    /// more test per layer, metric and pair in the family.
    /// </summary>
    private static IEnumerable<SubjectTestRow> WholeRuns(List<SubjectTestRow> windows, IReadOnlyList<PermutationRow> rows)
    {
        var nulls = NullsOf(rows);
        foreach (var cell in windows.Where(t => t.P is not null && t.Window == SubjectTestRow.OneWindow)
            .GroupBy(t => (t.Layer, t.Metric, t.GroupA, t.GroupB)))
        {
            var parts = cell.OrderBy(t => t.FirstStep).ToList();
            if (parts.Count < 2 || parts.Any(t => !nulls.ContainsKey(Key(t))) || parts.Select(t => nulls[Key(t)].Count).Distinct().Count() != 1
                || parts.Select(t => (t.Runs, t.SubjectsA, t.SubjectsB, t.Exact)).Distinct().Count() != 1)
            {
                continue;
            }
            var mean = MeanByRelabelling(parts.Select(t => nulls[Key(t)]).ToList());
            var result = PermutationResult.Of(parts.Average(t => t.Statistic!.Value), 0, mean, parts[0].Exact, 0);
            yield return parts[0] with
            {
                Window = SubjectTestRow.WholeRun,
                Epoch = parts.Min(t => t.Epoch),
                FirstStep = parts[0].FirstStep,
                LastStep = parts.Max(t => t.LastStep),
                Statistic = result.Statistic,
                NullMean = result.NullMean,
                NullSd = result.NullSd,
                Excess = result.Excess,
                ExcessLow = result.Excess - 1.96 * result.NullSd,
                ExcessHigh = result.Excess + 1.96 * result.NullSd,
                Z = result.Z,
                RunsSameSign = 0,
                P = result.PValue,
                Note = $"mean of {parts.Count} windows",
            };
        }
    }

    private static (string, long, long, string, string, string) Key(SubjectTestRow t) =>
        (t.Layer, t.FirstStep, t.LastStep, t.Metric, t.GroupA, t.GroupB);

    /// <summary>The (pooled) null statistics of every window test, in relabelling order.</summary>
    private static Dictionary<(string, long, long, string, string, string), IReadOnlyList<double>> NullsOf(IReadOnlyList<PermutationRow> rows)
    {
        var result = new Dictionary<(string, long, long, string, string, string), IReadOnlyList<double>>();
        foreach (var cell in rows.Where(r => r.Result.PValue is not null && r.Result.Null.Count > 0 && r.Result.Shared)
            .GroupBy(r => (r.Layer, r.FirstStep, r.LastStep, r.Metric, r.GroupA, r.GroupB)))
        {
            var tested = cell.ToList();
            if (Poolable(tested) is null)
            {
                result[cell.Key] = MeanByRelabelling(tested.Select(r => r.Result.Null).ToList());
            }
        }
        return result;
    }

    /// <summary>
    /// The k-th entry is the mean of the k-th null statistics: averaging statistics that used the same relabellings
    /// gives the null of the averaged statistic, so the average is still a permutation test.
    /// </summary>
    private static double[] MeanByRelabelling(IReadOnlyList<IReadOnlyList<double>> nulls)
    {
        var mean = new double[nulls[0].Count];
        for (int k = 0; k < mean.Length; k++)
        {
            mean[k] = nulls.Average(n => n[k]);
        }
        return mean;
    }

    /// <summary>Null when the runs' tests can be averaged relabelling by relabelling, else why not.</summary>
    private static string? Poolable(List<PermutationRow> tested)
    {
        var first = tested[0];
        if (tested.Any(r => r.Result.Null.Count == 0 || !r.Result.Shared))
        {
            return "a run has no shared relabellings (no permutation_null table, recorded by an older version, or tests recomputed from a dump)";
        }
        if (tested.Any(r => r.Result.Null.Count != first.Result.Null.Count || r.Result.Exact != first.Result.Exact
            || r.Result.RelabellingSeed != first.Result.RelabellingSeed))
        {
            return "the runs used different relabellings (permutations or permutation seed differ)";
        }
        if (tested.Any(r => r.UniverseA != first.UniverseA || r.UniverseB != first.UniverseB))
        {
            return "the runs relabelled different subjects (different data)";
        }
        return null;
    }

    private static SubjectTestRow Pooled(List<PermutationRow> tested)
    {
        var nulls = MeanByRelabelling(tested.Select(r => r.Result.Null).ToList());
        double statistic = tested.Average(r => r.Result.Statistic!.Value);
        var result = PermutationResult.Of(statistic, tested.Sum(r => r.Result.Steps), nulls, tested[0].Result.Exact, tested[0].Result.RelabellingSeed, shared: true);
        int sign = Math.Sign(result.Excess ?? 0);
        var row = Row(tested[0] with { Result = result }, tested.Count);
        return row with
        {
            Epoch = tested.Min(r => r.Epoch),
            RunsSameSign = tested.Count(r => r.Result.Excess is double e && Math.Sign(e) == sign && sign != 0),
        };
    }

    private static SubjectTestRow Row(PermutationRow r, int runs)
    {
        var x = r.Result;
        bool tested = x.PValue is not null;
        return new SubjectTestRow
        {
            Layer = r.Layer,
            Epoch = r.Epoch,
            FirstStep = r.FirstStep,
            LastStep = r.LastStep,
            Metric = r.Metric,
            GroupA = r.GroupA,
            GroupB = r.GroupB,
            // Older runs did not record the universe: the window's subjects were the ones relabelled.
            SubjectsA = r.UniverseA > 0 ? r.UniverseA : r.SubjectsA,
            SubjectsB = r.UniverseB > 0 ? r.UniverseB : r.SubjectsB,
            Runs = runs,
            Statistic = x.Statistic,
            NullMean = x.NullMean,
            NullSd = x.NullSd,
            Excess = x.Excess,
            ExcessLow = x.Excess - 1.96 * x.NullSd,
            ExcessHigh = x.Excess + 1.96 * x.NullSd,
            Z = x.Z,
            RunsSameSign = tested && x.Excess is not null ? 1 : 0,
            P = x.PValue,
            Permutations = x.Permutations,
            Exact = x.Exact,
        };
    }

    /// <summary>BH and BY within each family; significance by the chosen procedure.</summary>
    private static List<SubjectTestRow> Adjust(List<SubjectTestRow> rows, GroupComparisonOptions options)
    {
        var result = rows.ToArray();
        foreach (var family in Enumerable.Range(0, rows.Count).GroupBy(i => FamilyName(rows[i], options.FamilyBy)))
        {
            var index = family.ToArray();
            var p = index.Select(i => rows[i].P).ToArray();
            var bh = FalseDiscoveryRate.Adjust(p, FalseDiscoveryRate.Procedure.BenjaminiHochberg);
            var by = FalseDiscoveryRate.Adjust(p, FalseDiscoveryRate.Procedure.BenjaminiYekutieli);
            int size = p.Count(v => v is not null);
            for (int k = 0; k < index.Length; k++)
            {
                var chosen = options.Procedure == FalseDiscoveryRate.Procedure.BenjaminiHochberg ? bh[k] : by[k];
                result[index[k]] = rows[index[k]] with
                {
                    Family = family.Key,
                    FamilySize = size,
                    PBenjaminiHochberg = bh[k],
                    PBenjaminiYekutieli = by[k],
                    PAdjusted = chosen,
                    Significant = chosen <= options.Alpha,
                };
            }
        }
        return [.. result];
    }

    /// <summary>"all", or the values of the chosen fields, e.g. "layer=fc1,metric=sample_rms".</summary>
    internal static string FamilyName(SubjectTestRow row, IReadOnlyList<string> fields) => fields.Count == 0
        ? "all"
        : string.Join(",", fields.Select(f => f + "=" + f switch
        {
            "layer" => row.Layer,
            "metric" => row.Metric,
            "epoch" => row.Epoch.ToString(CultureInfo.InvariantCulture),
            _ => row.GroupA + "-" + row.GroupB,
        }));
}
