using System.Text.Json;
using AutoSpec.Record;
using MathNet.Numerics.LinearAlgebra;

namespace AutoSpec.Analyse;

/// <summary>
/// Within-run permutation tests, per run: the rows the run recorded during training (<c>permutations.parquet</c>,
/// <c>run --permutations</c>) when it has them, otherwise recomputed from the factors it dumped
/// (<c>run --dump-steps</c>: per layer, each dumped step alone and all dumped steps together as one window). Every
/// pair of the compared groups is a test of its own (labels permuted over the pair's subjects, sizes kept), and
/// Benjamini–Hochberg runs over all of them — runs × layers × windows × pairs — as one family.
/// </summary>
public static class PermutationAnalysis
{
    /// <summary>The tests of every run; none when no run recorded or dumped anything.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="groups">Compared groups, reference first; pairs (i &lt; j) keep this order.</param>
    /// <param name="metric">Metric of the dump-based tests (recorded rows carry their own).</param>
    /// <param name="permutations">Relabellings of the dump-based tests (0 = none; recorded rows are always used).</param>
    /// <param name="alpha">FDR level.</param>
    /// <param name="seed">Seed of the dump-based tests.</param>
    public static List<PermutationRow> Run(RunSet runs, IReadOnlyList<string> groups, string metric, int permutations,
        double alpha, int seed = 0)
    {
        var rows = new List<PermutationRow>();
        foreach (var run in runs.Runs)
        {
            var recorded = RunSet.TableFiles(run.Directory, "permutations");
            if (recorded.Count > 0)
            {
                rows.AddRange(Recorded(run.Run, recorded, groups));
            }
            else if (permutations > 0)
            {
                Dumped(run, groups, metric, permutations, seed, rows);
            }
        }
        var adjusted = FalseDiscoveryRate.Adjust(rows.Select(r => r.Result.PValue).ToArray(), FalseDiscoveryRate.Procedure.BenjaminiHochberg);
        int size = rows.Count(r => r.Result.PValue is not null);
        return rows.Select((r, i) => r with { PAdjusted = adjusted[i], Significant = adjusted[i] <= alpha, FamilySize = size }).ToList();
    }

    /// <summary>Rows of permutations.parquet whose two groups are both compared, oriented as <paramref name="groups"/>.</summary>
    private static IEnumerable<PermutationRow> Recorded(string run, List<string> files, IReadOnlyList<string> groups)
    {
        Dictionary<string, Array> t;
        try
        {
            t = ParquetTableReader.ReadAsync(files).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidInputException($"run '{run}': cannot read permutations.parquet: {e.Message}");
        }
        if (!t.TryGetValue("run", out var runColumn))
        {
            yield break;
        }
        var text = (string name) => (string?[])t[name];
        var integer = (string name) => (int?[])t[name];
        var layer = text("layer");
        var metric = text("metric");
        var groupA = text("group_a");
        var groupB = text("group_b");
        var note = text("note");
        var first = (long?[])t["first_step"];
        var last = (long?[])t["last_step"];
        var subjectsA = integer("subjects_a");
        var subjectsB = integer("subjects_b");
        var steps = integer("steps");
        var statistic = (double?[])t["statistic"];
        var p = (double?[])t["p"];
        var count = integer("permutations");
        var exact = (bool?[])t["exact"];
        var order = groups.ToList();
        for (int i = 0; i < runColumn.Length; i++)
        {
            string a = groupA[i] ?? "", b = groupB[i] ?? "";
            bool untested = a.Length == 0 && b.Length == 0;
            int ia = order.IndexOf(a), ib = order.IndexOf(b);
            if (!untested && (ia < 0 || ib < 0))
            {
                continue;
            }
            // The run writes pairs in its own (sorted) group order; the analysis' reference group comes first.
            bool flip = ia > ib;
            var result = new PermutationResult(flip ? -statistic[i] : statistic[i], p[i], count[i] ?? 0, exact[i] ?? false, steps[i] ?? 0);
            yield return new PermutationRow(run, layer[i] ?? "", first[i] ?? 0, last[i] ?? 0, steps[i] ?? 0, metric[i] ?? "", result, null, false)
            {
                GroupA = flip ? b : a,
                GroupB = flip ? a : b,
                SubjectsA = (flip ? subjectsB[i] : subjectsA[i]) ?? 0,
                SubjectsB = (flip ? subjectsA[i] : subjectsB[i]) ?? 0,
                Source = "recorded",
                Note = string.IsNullOrEmpty(note[i]) ? null : note[i],
            };
        }
    }

    private static void Dumped(RunData run, IReadOnlyList<string> groups, string metric, int permutations, int seed, List<PermutationRow> rows)
    {
        var dump = Path.Combine(run.Directory, "dump");
        if (!Directory.Exists(dump))
        {
            return;
        }
        var stepDirs = Directory.GetDirectories(dump, "step-*").Order(StringComparer.Ordinal).ToList();
        var layers = stepDirs.SelectMany(d => Directory.GetFiles(d, "*.A.npy")).Select(f => Path.GetFileName(f)[..^".A.npy".Length])
            .Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var layer in layers)
        {
            var subjectGroup = new List<int>();
            var window = new List<(long Step, GramStep Gram)>();
            foreach (var dir in stepDirs)
            {
                if (Load(dir, layer, groups, subjectGroup) is { } loaded)
                {
                    window.Add(loaded);
                }
            }
            foreach (var (step, gram) in window)
            {
                Test(run.Run, layer, step, step, [gram], subjectGroup, groups, metric, permutations, seed, rows);
            }
            if (window.Count > 1)
            {
                Test(run.Run, layer, window[0].Step, window[^1].Step, window.Select(w => w.Gram).ToList(), subjectGroup, groups,
                    metric, permutations, seed, rows);
            }
        }
    }

    private static void Test(string run, string layer, long first, long last, List<GramStep> window, List<int> subjectGroup,
        IReadOnlyList<string> groups, string metric, int permutations, int seed, List<PermutationRow> rows)
    {
        foreach (var r in GramPermutationTest.RunPairs(window, subjectGroup, groups.Count, metric, permutations, seed + rows.Count))
        {
            rows.Add(new PermutationRow(run, layer, first, last, r.Result.Steps, metric, r.Result, null, false)
            {
                GroupA = groups[r.GroupA],
                GroupB = groups[r.GroupB],
                SubjectsA = r.SubjectsA,
                SubjectsB = r.SubjectsB,
                Source = "dump",
            });
        }
    }

    /// <summary>
    /// One dumped step of one layer, keeping the rows of the compared groups. A dump names batch samples, not
    /// subjects, so every sample of every step is its own subject: batch position k of two steps is not the same
    /// person, and sharing a label between them would mislabel the later step.
    /// </summary>
    private static (long Step, GramStep Gram)? Load(string dir, string layer, IReadOnlyList<string> groups, List<int> subjectGroup)
    {
        var prefix = Path.Combine(dir, layer);
        if (!File.Exists(prefix + ".A.npy"))
        {
            return null;
        }
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "groups.json")));
        var names = info.RootElement.GetProperty("groups").EnumerateArray().Select(e => e.GetString()!).ToList();
        long step = info.RootElement.GetProperty("step").GetInt64();
        int batch = info.RootElement.TryGetProperty("batch_samples", out var n) ? n.GetInt32() : 0;
        var compared = names.Select(g => groups.ToList().IndexOf(g)).ToArray();
        var (aData, aShape) = NpyFile.ReadFloat32(prefix + ".A.npy");
        var (dData, dShape) = NpyFile.ReadFloat32(prefix + ".delta.npy");
        var (rowSample, _) = NpyFile.ReadInt32(prefix + ".row_sample.npy");
        var (rowGroup, _) = NpyFile.ReadInt32(prefix + ".row_group.npy");
        var keep = Enumerable.Range(0, rowSample.Length).Where(r => compared[rowGroup[r]] >= 0).ToArray();
        if (keep.Length == 0)
        {
            return null;
        }
        int p = (int)aShape[1], q = (int)dShape[1];
        var am = Matrix<double>.Build.Dense(keep.Length, p, (i, j) => aData[(long)keep[i] * p + j]);
        var dm = Matrix<double>.Build.Dense(keep.Length, q, (i, j) => dData[(long)keep[i] * q + j]);
        var subjects = new Dictionary<int, int>();
        var rowSubject = new int[keep.Length];
        for (int i = 0; i < keep.Length; i++)
        {
            int r = keep[i];
            if (!subjects.TryGetValue(rowSample[r], out int subject))
            {
                subjects[rowSample[r]] = subject = subjectGroup.Count;
                subjectGroup.Add(compared[rowGroup[r]]);
            }
            rowSubject[i] = subject;
        }
        var samples = subjects.Values.ToDictionary(s => s, _ => 1);
        var gram = new GramStep((am * am.Transpose()).ToRowMajorArray(), (dm * dm.Transpose()).ToRowMajorArray(), rowSubject,
            Math.Min(p, q), samples, batch > 0 ? batch : rowSample.Distinct().Count());
        return (step, gram);
    }
}
