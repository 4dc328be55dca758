using System.Text.Json;
using AutoSpec.Files;
using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// The tables of an analysis (group_tests, findings, epoch_values, phases, permutation_tests, runs) and their files:
/// each as NAME.parquet and NAME.csv, plus analysis.json with the options, runs and family sizes.
/// </summary>
internal static class AnalysisTables
{
    /// <summary>Builds every result table.</summary>
    public static IReadOnlyList<ResultTable> Build(AnalysisResult result)
    {
        var t = result.Tests;
        var groupTests = new ResultTable("group_tests")
            .Text("layer", t.Select(r => r.Layer))
            .Text("window", t.Select(r => r.Window))
            .Integer("epoch", t.Select(r => (int?)r.Epoch))
            .Integer("first_step", t.Select(r => (int?)r.FirstStep))
            .Integer("last_step", t.Select(r => (int?)r.LastStep))
            .Text("metric", t.Select(r => r.Metric))
            .Text("group_a", t.Select(r => r.GroupA))
            .Text("group_b", t.Select(r => r.GroupB))
            .Integer("subjects_a", t.Select(r => (int?)r.SubjectsA))
            .Integer("subjects_b", t.Select(r => (int?)r.SubjectsB))
            .Integer("runs", t.Select(r => (int?)r.Runs))
            .Text("n_counts", t.Select(r => r.NCounts))
            .Number("statistic", t.Select(r => r.Statistic))
            .Number("null_mean", t.Select(r => r.NullMean))
            .Number("null_sd", t.Select(r => r.NullSd))
            .Number("excess", t.Select(r => r.Excess))
            .Number("excess_ci_low", t.Select(r => r.ExcessLow))
            .Number("excess_ci_high", t.Select(r => r.ExcessHigh))
            .Number("z", t.Select(r => r.Z))
            .Integer("runs_same_sign", t.Select(r => (int?)r.RunsSameSign))
            .Number("p", t.Select(r => r.P))
            .Integer("permutations", t.Select(r => (int?)r.Permutations))
            .Flag("exact", t.Select(r => (bool?)r.Exact))
            .Number("p_adjusted", t.Select(r => r.PAdjusted))
            .Number("p_bh", t.Select(r => r.PBenjaminiHochberg))
            .Number("p_by", t.Select(r => r.PBenjaminiYekutieli))
            .Flag("significant", t.Select(r => (bool?)r.Significant))
            .Text("family", t.Select(r => r.Family))
            .Integer("family_size", t.Select(r => (int?)r.FamilySize))
            .Text("note", t.Select(r => r.Note));

        var v = result.EpochValues;
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
            .Text("metric", f.Select(r => r.Metric))
            .Text("group_a", f.Select(r => r.GroupA))
            .Text("group_b", f.Select(r => r.GroupB))
            .Text("direction", f.Select(r => r.Higher ? "higher" : "lower"))
            .Text("epochs", f.Select(r => string.Join(";", r.Epochs)))
            .Flag("whole_run", f.Select(r => (bool?)r.WholeRun))
            .Text("when", f.Select(r => r.When))
            .Integer("strongest_first_step", f.Select(r => (int?)r.Strongest.FirstStep))
            .Integer("strongest_last_step", f.Select(r => (int?)r.Strongest.LastStep))
            .Number("excess", f.Select(r => r.Strongest.Excess))
            .Number("excess_ci_low", f.Select(r => r.Strongest.ExcessLow))
            .Number("excess_ci_high", f.Select(r => r.Strongest.ExcessHigh))
            .Number("z", f.Select(r => r.Strongest.Z))
            .Number("p_adjusted", f.Select(r => r.Strongest.PAdjusted))
            .Text("n_counts", f.Select(r => r.Strongest.NCounts))
            .Text("summary", f.Select(r => r.Sentence));

        var p = result.Phases;
        var phases = new ResultTable("phases")
            .Text("run", p.Select(r => r.Run))
            .Text("layer", p.Select(r => r.Layer))
            .Text("quantity", p.Select(r => r.Quantity))
            .Text("group", p.Select(r => r.Group))
            .Text("series", p.Select(r => r.Series))
            .Integer("points", p.Select(r => (int?)r.Points))
            .Integer("boundaries", p.Select(r => (int?)r.Boundaries.Count))
            .Text("boundary_steps", p.Select(r => string.Join(";", r.Boundaries)));

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
            .Integer("epoch", m.Select(x => (int?)x.Epoch))
            .Integer("first_step", m.Select(x => (int?)x.FirstStep))
            .Integer("last_step", m.Select(x => (int?)x.LastStep))
            .Integer("steps", m.Select(x => (int?)x.Result.Steps))
            .Text("metric", m.Select(x => x.Metric))
            .Text("group_a", m.Select(x => x.GroupA))
            .Text("group_b", m.Select(x => x.GroupB))
            .Integer("subjects_a", m.Select(x => (int?)x.SubjectsA))
            .Integer("subjects_b", m.Select(x => (int?)x.SubjectsB))
            .Integer("universe_a", m.Select(x => (int?)x.UniverseA))
            .Integer("universe_b", m.Select(x => (int?)x.UniverseB))
            .Number("statistic", m.Select(x => x.Result.Statistic))
            .Number("null_mean", m.Select(x => x.Result.NullMean))
            .Number("excess", m.Select(x => x.Result.Excess))
            .Number("z", m.Select(x => x.Result.Z))
            .Number("p", m.Select(x => x.Result.PValue))
            .Integer("permutations", m.Select(x => (int?)x.Result.Permutations))
            .Flag("exact", m.Select(x => (bool?)x.Result.Exact))
            .Text("source", m.Select(x => x.Source))
            .Text("note", m.Select(x => x.Note));

        return [groupTests, findings, epochValues, phases, permutationTests, runs];
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
        var o = result.Options;
        var tests = result.Tests;
        return new Dictionary<string, object?>
        {
            ["runs"] = result.Runs.Runs.Select(r => r.Directory).ToList(),
            ["skipped"] = result.Runs.Skipped,
            ["groups"] = result.Groups,
            ["test"] = "subject-level permutation test (group labels exchanged among subjects, sizes kept), runs averaged",
            ["population"] = AnalysisResult.Population,
            ["fdr"] = o.Procedure.ToString(),
            ["alpha"] = o.Alpha,
            ["family_by"] = o.FamilyBy.Count == 0 ? "all" : string.Join(",", o.FamilyBy),
            ["families"] = tests.GroupBy(t => t.Family).ToDictionary(g => g.Key, g => g.First().FamilySize),
            ["tests"] = tests.Count,
            ["tests_without_p"] = tests.Count(t => t.P is null),
            ["significant"] = tests.Count(t => t.Significant),
            ["findings"] = result.Findings.Select(f => f.Sentence).ToList(),
            ["descriptive_quantities"] = o.Quantities,
            ["descriptive_metrics"] = o.Metrics,
            ["notes"] = result.Notes,
            ["per_run_tests"] = result.Permutations.Count,
        };
    }
}
