using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// Training phases (DESIGN.md: "where σ₁ or effective rank stops falling"): change points of ln σ₁ (per-sample) and
/// of the effective rank over steps, per run, layer and group. Descriptive: the boundaries are not compared between
/// groups by a test, because both series move with a group's number of samples (effective rank is capped by it) and
/// a test across runs would count training seeds, not subjects (docs/DESIGN.md).
/// </summary>
internal static class PhaseAnalysis
{
    /// <summary>The trajectories segmented.</summary>
    public static readonly IReadOnlyList<string> SeriesNames = ["log_sigma1", "effective_rank"];

    /// <summary>Segments every trajectory.</summary>
    public static List<PhaseRow> Run(RunSet runs, GroupComparisonOptions options, IReadOnlyList<string> groups, ChangePointDetector detector)
    {
        var phases = new List<PhaseRow>();
        foreach (var run in runs.Runs)
        {
            var layers = run.Distinct(RunColumns.Layer).Where(l => options.Layers is null || options.Layers.Contains(l));
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
        return phases;
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
}
