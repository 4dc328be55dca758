using System.Text.Json;
using AutoSpec.Record;

namespace AutoSpec.Analyse;

/// <summary>
/// Within-run permutation tests from the factors a run dumped (<c>run --dump-steps</c>): per run and layer, each
/// dumped step alone and all dumped steps together as one window; group labels (the first two groups compared)
/// permuted over the subjects of the window with group sizes kept. BH over all of them as one family.
/// </summary>
public static class PermutationAnalysis
{
    /// <summary>Runs the tests for every run that has a dump folder; none when no run has one.</summary>
    public static List<PermutationRow> Run(RunSet runs, IReadOnlyList<string> groups, string metric, int permutations,
        double alpha, int seed = 0)
    {
        var rows = new List<PermutationRow>();
        foreach (var run in runs.Runs)
        {
            var dump = Path.Combine(run.Directory, "dump");
            if (!Directory.Exists(dump))
            {
                continue;
            }
            var stepDirs = Directory.GetDirectories(dump, "step-*").Order(StringComparer.Ordinal).ToList();
            var layers = stepDirs.SelectMany(d => Directory.GetFiles(d, "*.A.npy")).Select(f => Path.GetFileName(f)[..^".A.npy".Length])
                .Distinct().Order(StringComparer.Ordinal).ToList();
            foreach (var layer in layers)
            {
                var subjects = new Dictionary<int, int>();
                var labels = new List<bool>();
                var window = new List<(long Step, GramStep Gram)>();
                foreach (var dir in stepDirs)
                {
                    if (Load(dir, layer, groups, subjects, labels) is { } loaded)
                    {
                        window.Add(loaded);
                    }
                }
                foreach (var (step, gram) in window)
                {
                    rows.Add(Test(run.Run, layer, step, step, [gram], labels, metric, permutations, seed + rows.Count));
                }
                if (window.Count > 1)
                {
                    rows.Add(Test(run.Run, layer, window[0].Step, window[^1].Step, window.Select(w => w.Gram).ToList(), labels,
                        metric, permutations, seed + rows.Count));
                }
            }
        }
        var adjusted = FalseDiscoveryRate.Adjust(rows.Select(r => r.Result.PValue).ToArray(), FalseDiscoveryRate.Procedure.BenjaminiHochberg);
        return rows.Select((r, i) => r with { PAdjusted = adjusted[i], Significant = adjusted[i] <= alpha }).ToList();
    }

    private static PermutationRow Test(string run, string layer, long first, long last, List<GramStep> window,
        List<bool> labels, string metric, int permutations, int seed)
    {
        var result = GramPermutationTest.Run(window, labels, metric, permutations, seed);
        return new PermutationRow(run, layer, first, last, result.Steps, metric, result, null, false);
    }

    /// <summary>One dumped step of one layer, keeping the rows of the two compared groups.</summary>
    private static (long Step, GramStep Gram)? Load(string dir, string layer, IReadOnlyList<string> groups,
        Dictionary<int, int> subjects, List<bool> labels)
    {
        var prefix = Path.Combine(dir, layer);
        if (!File.Exists(prefix + ".A.npy"))
        {
            return null;
        }
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "groups.json")));
        var names = info.RootElement.GetProperty("groups").EnumerateArray().Select(e => e.GetString()!).ToList();
        long step = info.RootElement.GetProperty("step").GetInt64();
        int a = names.IndexOf(groups[0]), b = names.IndexOf(groups[1]);
        var (aData, aShape) = NpyFile.ReadFloat32(prefix + ".A.npy");
        var (dData, dShape) = NpyFile.ReadFloat32(prefix + ".delta.npy");
        var (rowSample, _) = NpyFile.ReadInt32(prefix + ".row_sample.npy");
        var (rowGroup, _) = NpyFile.ReadInt32(prefix + ".row_group.npy");
        var keep = Enumerable.Range(0, rowSample.Length).Where(r => rowGroup[r] == a || rowGroup[r] == b).ToArray();
        if (keep.Length == 0)
        {
            return null;
        }
        int p = (int)aShape[1], q = (int)dShape[1];
        var am = new double[keep.Length, p];
        var dm = new double[keep.Length, q];
        var rowSubject = new int[keep.Length];
        for (int i = 0; i < keep.Length; i++)
        {
            int r = keep[i];
            for (int j = 0; j < p; j++)
            {
                am[i, j] = aData[(long)r * p + j];
            }
            for (int j = 0; j < q; j++)
            {
                dm[i, j] = dData[(long)r * q + j];
            }
            if (!subjects.TryGetValue(rowSample[r], out int subject))
            {
                subjects[rowSample[r]] = subject = labels.Count;
                labels.Add(rowGroup[r] == b);
            }
            rowSubject[i] = subject;
        }
        return (step, new GramStep(am, dm, rowSubject));
    }
}
