using System.Text.Json;
using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// The tables of an analysis (group_tests, epoch_values, findings, phases, phase_tests, runs) and their files: each
/// as NAME.parquet and NAME.csv, plus analysis.json with the options, runs and family sizes.
/// </summary>
public static class AnalysisTables
{
    /// <summary>Builds every result table.</summary>
    public static IReadOnlyList<ResultTable> Build(AnalysisResult result)
    {
        var t = result.Comparison.Tests;
        var groupTests = new ResultTable("group_tests")
            .Text("layer", t.Select(r => r.Layer))
            .Text("quantity", t.Select(r => r.Quantity))
            .Text("metric", t.Select(r => r.Metric))
            .Integer("epoch", t.Select(r => (int?)r.Epoch))
            .Text("group_a", t.Select(r => r.GroupA))
            .Text("group_b", t.Select(r => r.GroupB))
            .Integer("runs", t.Select(r => (int?)r.Runs))
            .Number("mean_a", t.Select(r => r.MeanA))
            .Number("mean_b", t.Select(r => r.MeanB))
            .Number("mean_difference", t.Select(r => r.MeanDifference))
            .Text("test", t.Select(r => r.Test))
            .Number("statistic", t.Select(r => r.Statistic))
            .Number("df", t.Select(r => r.DegreesOfFreedom))
            .Number("p", t.Select(r => r.P))
            .Number("p_adjusted", t.Select(r => r.PAdjusted))
            .Number("p_bh", t.Select(r => r.PBenjaminiHochberg))
            .Number("p_by", t.Select(r => r.PBenjaminiYekutieli))
            .Flag("significant", t.Select(r => (bool?)r.Significant))
            .Text("family", t.Select(r => r.Family))
            .Integer("family_size", t.Select(r => (int?)r.FamilySize))
            .Text("effect_name", t.Select(r => r.EffectName))
            .Number("effect", t.Select(r => r.Effect))
            .Number("effect_ci_low", t.Select(r => r.EffectLow))
            .Number("effect_ci_high", t.Select(r => r.EffectHigh))
            .Number("rank_biserial", t.Select(r => r.RankBiserial))
            .Number("rank_biserial_ci_low", t.Select(r => r.RankBiserialLow))
            .Number("rank_biserial_ci_high", t.Select(r => r.RankBiserialHigh))
            .Number("p_paired_t", t.Select(r => r.PPairedT))
            .Number("p_wilcoxon", t.Select(r => r.PWilcoxon))
            .Text("status", t.Select(r => r.Status))
            .Text("note", t.Select(r => r.Note));

        var v = result.Comparison.EpochValues;
        var epochValues = new ResultTable("epoch_values")
            .Text("run", v.Select(r => r.Run))
            .Integer("seed", v.Select(r => (int?)r.Seed))
            .Integer("fold", v.Select(r => (int?)r.Fold))
            .Text("layer", v.Select(r => r.Layer))
            .Text("quantity", v.Select(r => r.Quantity))
            .Text("group", v.Select(r => r.Group))
            .Integer("epoch", v.Select(r => (int?)r.Epoch))
            .Text("metric", v.Select(r => r.Metric))
            .Number("value", v.Select(r => (double?)r.Value))
            .Integer("steps", v.Select(r => (int?)r.Steps));

        var f = result.Findings;
        var findings = new ResultTable("findings")
            .Text("layer", f.Select(r => r.Layer))
            .Text("quantity", f.Select(r => r.Quantity))
            .Text("metric", f.Select(r => r.Metric))
            .Text("group_a", f.Select(r => r.GroupA))
            .Text("group_b", f.Select(r => r.GroupB))
            .Text("epochs", f.Select(r => string.Join(";", r.Epochs)))
            .Integer("from_epoch", f.Select(r => r.FromEpoch))
            .Integer("strongest_epoch", f.Select(r => (int?)r.Strongest.Epoch))
            .Number("effect", f.Select(r => r.Strongest.Effect))
            .Number("effect_ci_low", f.Select(r => r.Strongest.EffectLow))
            .Number("effect_ci_high", f.Select(r => r.Strongest.EffectHigh))
            .Number("p_adjusted", f.Select(r => r.Strongest.PAdjusted))
            .Text("summary", f.Select(r => r.Sentence));

        var p = result.Phases.Phases;
        var phases = new ResultTable("phases")
            .Text("run", p.Select(r => r.Run))
            .Text("layer", p.Select(r => r.Layer))
            .Text("quantity", p.Select(r => r.Quantity))
            .Text("group", p.Select(r => r.Group))
            .Text("series", p.Select(r => r.Series))
            .Integer("points", p.Select(r => (int?)r.Points))
            .Integer("boundaries", p.Select(r => (int?)r.Boundaries.Count))
            .Text("boundary_steps", p.Select(r => string.Join(";", r.Boundaries)));

        var pt = result.Phases.Tests;
        var phaseTests = new ResultTable("phase_tests")
            .Text("layer", pt.Select(r => r.Layer))
            .Text("quantity", pt.Select(r => r.Quantity))
            .Text("series", pt.Select(r => r.Series))
            .Text("group_a", pt.Select(r => r.GroupA))
            .Text("group_b", pt.Select(r => r.GroupB))
            .Integer("runs", pt.Select(r => (int?)r.Runs))
            .Integer("runs_without_boundary", pt.Select(r => (int?)r.RunsWithoutBoundary))
            .Number("median_first_boundary_a", pt.Select(r => r.MedianFirstA))
            .Number("median_first_boundary_b", pt.Select(r => r.MedianFirstB))
            .Number("mean_shift_steps", pt.Select(r => r.MeanShift))
            .Number("p_paired_t", pt.Select(r => r.PPairedT))
            .Number("p_wilcoxon", pt.Select(r => r.PWilcoxon))
            .Number("p_bh", pt.Select(r => r.PAdjusted))
            .Flag("significant", pt.Select(r => (bool?)r.Significant))
            .Integer("family_size", pt.Select(r => (int?)r.FamilySize))
            .Text("status", pt.Select(r => r.Status))
            .Text("note", pt.Select(r => r.Note));

        var r = result.Runs.Runs;
        var runs = new ResultTable("runs")
            .Text("run", r.Select(x => x.Run))
            .Integer("seed", r.Select(x => (int?)x.Seed))
            .Integer("fold", r.Select(x => (int?)x.Fold))
            .Text("status", r.Select(x => x.Status))
            .Text("directory", r.Select(x => x.Directory));

        var m = result.Permutations;
        var permutationTests = new ResultTable("permutation_tests")
            .Text("run", m.Select(x => x.Run))
            .Text("layer", m.Select(x => x.Layer))
            .Integer("first_step", m.Select(x => (int?)x.FirstStep))
            .Integer("last_step", m.Select(x => (int?)x.LastStep))
            .Integer("steps", m.Select(x => (int?)x.Steps))
            .Text("metric", m.Select(x => x.Metric))
            .Text("group_a", m.Select(x => x.GroupA))
            .Text("group_b", m.Select(x => x.GroupB))
            .Integer("subjects_a", m.Select(x => (int?)x.SubjectsA))
            .Integer("subjects_b", m.Select(x => (int?)x.SubjectsB))
            .Number("statistic", m.Select(x => x.Result.Statistic))
            .Number("p", m.Select(x => x.Result.PValue))
            .Integer("permutations", m.Select(x => (int?)x.Result.Permutations))
            .Flag("exact", m.Select(x => (bool?)x.Result.Exact))
            .Number("p_bh", m.Select(x => x.PAdjusted))
            .Flag("significant", m.Select(x => (bool?)x.Significant))
            .Integer("family_size", m.Select(x => (int?)x.FamilySize))
            .Text("source", m.Select(x => x.Source))
            .Text("note", m.Select(x => x.Note));

        return [groupTests, findings, epochValues, phases, phaseTests, permutationTests, runs];
    }

    /// <summary>Writes every table and analysis.json into <paramref name="directory"/> (created if needed).</summary>
    public static async Task WriteAsync(AnalysisResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var table in Build(result))
        {
            await table.WriteAsync(directory);
        }
        AtomicFile.WriteAllText(Path.Combine(directory, "analysis.json"), JsonSerializer.Serialize(Summary(result), RunManifest.Json));
    }

    /// <summary>The options, runs, families and counts of an analysis, for analysis.json.</summary>
    public static Dictionary<string, object?> Summary(AnalysisResult result)
    {
        var o = result.Comparison.Options;
        var tests = result.Comparison.Tests;
        return new Dictionary<string, object?>
        {
            ["runs"] = result.Runs.Runs.Select(r => r.Directory).ToList(),
            ["skipped"] = result.Runs.Skipped,
            ["groups"] = result.Comparison.Groups,
            ["quantities"] = o.Quantities,
            ["metrics"] = o.Metrics,
            ["test"] = o.Test.ToString(),
            ["fdr"] = o.Procedure.ToString(),
            ["alpha"] = o.Alpha,
            ["family_by"] = o.FamilyBy.Count == 0 ? "all" : string.Join(",", o.FamilyBy),
            ["families"] = tests.GroupBy(t => t.Family).ToDictionary(g => g.Key, g => g.First().FamilySize),
            ["tests"] = tests.Count,
            ["tests_without_p"] = tests.Count(t => t.P is null),
            ["significant"] = tests.Count(t => t.Significant),
            ["findings"] = result.Findings.Select(f => f.Sentence).ToList(),
            ["notes"] = result.Comparison.Notes,
            ["permutation_tests"] = result.Permutations.Count,
            ["permutation_family_size"] = result.Permutations.Count(r => r.Result.PValue is not null),
            ["permutation_significant"] = result.Permutations.Count(r => r.Significant),
        };
    }
}
