using MathNet.Numerics.Statistics;

namespace AutoSpec.Analyse;

/// <summary>Phase boundaries of every trajectory and the tests of whether groups' boundaries differ.</summary>
/// <param name="Phases">One row per run × layer × quantity × group × series.</param>
/// <param name="Tests">One row per layer × quantity × series × pair of groups.</param>
public sealed record PhaseResult(IReadOnlyList<PhaseRow> Phases, IReadOnlyList<PhaseTestRow> Tests);

/// <summary>
/// Training phases (DESIGN.md: "where σ₁ or effective rank stops falling"): change points of ln σ₁ (per-sample) and
/// of the effective rank over steps, per run, layer and group; then, per layer, whether one group's first boundary
/// comes earlier than the other's across runs (paired tests, BH over all phase tests).
/// </summary>
public static class PhaseAnalysis
{
    /// <summary>The trajectories segmented.</summary>
    public static readonly IReadOnlyList<string> SeriesNames = ["log_sigma1", "effective_rank"];

    /// <summary>Segments every trajectory and compares the groups' first boundaries.</summary>
    public static PhaseResult Run(RunSet runs, GroupComparisonOptions options, IReadOnlyList<string> groups, ChangePointDetector detector)
    {
        var phases = new List<PhaseRow>();
        foreach (var run in runs.Runs)
        {
            var layers = run.Distinct("layer").Where(l => options.Layers is null || options.Layers.Contains(l));
            foreach (var layer in layers)
            {
                foreach (var quantity in options.Quantities.Where(q => q != "weight"))
                {
                    foreach (var group in groups.Append("all"))
                    {
                        foreach (var series in SeriesNames)
                        {
                            var (steps, values) = Trajectory(run, layer, quantity, group, series);
                            if (steps.Length == 0)
                            {
                                continue;
                            }
                            var points = detector.Detect(values);
                            phases.Add(new PhaseRow(run.Run, layer, quantity, group, series, steps.Length,
                                points.Select(i => steps[i]).ToList()));
                        }
                    }
                }
            }
        }
        var tests = new List<PhaseTestRow>();
        var byKey = phases.ToDictionary(p => (p.Run, p.Layer, p.Quantity, p.Group, p.Series));
        foreach (var cell in phases.Select(p => (p.Layer, p.Quantity, p.Series)).Distinct())
        {
            for (int i = 0; i < groups.Count; i++)
            {
                for (int j = i + 1; j < groups.Count; j++)
                {
                    tests.Add(Compare(runs, byKey, cell.Layer, cell.Quantity, cell.Series, groups[i], groups[j]));
                }
            }
        }
        var adjusted = FalseDiscoveryRate.Adjust(tests.Select(t => t.PPairedT).ToArray(), FalseDiscoveryRate.Procedure.BenjaminiHochberg);
        int size = tests.Count(t => t.PPairedT is not null);
        tests = tests.Select((t, k) => t with { PAdjusted = adjusted[k], Significant = adjusted[k] <= options.Alpha, FamilySize = size }).ToList();
        return new PhaseResult(phases, tests);
    }

    /// <summary>ln of the per-sample σ₁ (σ₁ when no normalised value was recorded), or the effective rank.</summary>
    public static (long[] Steps, double[] Values) Trajectory(RunData run, string layer, string quantity, string group, string series)
    {
        if (series == "effective_rank")
        {
            return run.Series(layer, quantity, group, "effective_rank");
        }
        var (steps, values) = run.Series(layer, quantity, group, "sigma1_normalised");
        if (steps.Length == 0)
        {
            (steps, values) = run.Series(layer, quantity, group, "sigma1");
        }
        var keep = Enumerable.Range(0, values.Length).Where(i => values[i] > 0).ToArray();
        return (keep.Select(i => steps[i]).ToArray(), keep.Select(i => Math.Log(values[i])).ToArray());
    }

    private static PhaseTestRow Compare(RunSet runs, Dictionary<(string, string, string, string, string), PhaseRow> phases,
        string layer, string quantity, string series, string a, string b)
    {
        var firstA = new List<double>();
        var firstB = new List<double>();
        int without = 0;
        foreach (var run in runs.Runs)
        {
            if (phases.TryGetValue((run.Run, layer, quantity, a, series), out var pa) && pa.Boundaries.Count > 0
                && phases.TryGetValue((run.Run, layer, quantity, b, series), out var pb) && pb.Boundaries.Count > 0)
            {
                firstA.Add(pa.Boundaries[0]);
                firstB.Add(pb.Boundaries[0]);
            }
            else
            {
                without++;
            }
        }
        var t = TTest.Paired(firstB, firstA);
        var d = firstB.Zip(firstA, (y, x) => y - x).ToArray();
        var w = d.Length > 0 ? WilcoxonSignedRankTest.Test(d) : null;
        string? note = t.Note;
        if (firstA.Count < 2)
        {
            note = $"only {firstA.Count} run(s) have a phase boundary in both groups";
        }
        return new PhaseTestRow(layer, quantity, series, a, b, firstA.Count, without,
            firstA.Count > 0 ? firstA.Median() : null, firstB.Count > 0 ? firstB.Median() : null,
            d.Length > 0 ? d.Average() : null, t.PValue, w?.PValue, null, false, 0,
            GroupComparison.StatusName(t.Status), note);
    }
}
