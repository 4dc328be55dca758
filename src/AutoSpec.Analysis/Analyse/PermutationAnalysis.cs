using System.Text.Json;
using AutoSpec.Files;
using AutoSpec.Permutation;
using AutoSpec.Record;
using AutoSpec.Spectra;
using MathNet.Numerics.LinearAlgebra;

namespace AutoSpec.Analyse;

/// <summary>
/// Subject-level permutation tests, per run: the rows the run recorded during training (<c>permutations.parquet</c>
/// with the null statistics of <c>permutation_null.parquet</c>, <c>run --permutations</c>) when it has them, otherwise
/// recomputed from the factors it dumped (<c>run --dump-steps</c>: per layer, each dumped step alone and all dumped
/// steps together as one window). Every pair of the compared groups is a test of its own (labels permuted over the
/// pair's subjects, sizes kept). <see cref="SubjectLevelComparison"/> pools the runs and corrects over the family.
/// </summary>
internal static class PermutationAnalysis
{
    /// <summary>The tests of every run; none when no run recorded or dumped anything.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="groups">Compared groups, reference first; pairs (i &lt; j) keep this order.</param>
    /// <param name="metric">Metric of the dump-based tests (recorded rows carry their own).</param>
    /// <param name="permutations">Relabellings of the dump-based tests (0 = none; recorded rows are always used).</param>
    /// <param name="seed">Seed of the dump-based tests.</param>
    public static List<PermutationRow> Run(RunSet runs, IReadOnlyList<string> groups, string metric, int permutations, int seed = 0)
    {
        var rows = new List<PermutationRow>();
        foreach (var run in runs.Runs)
        {
            var recorded = RunTable.Files(run.Directory, RunTable.Permutations);
            if (recorded.Count > 0)
            {
                rows.AddRange(Recorded(run.Run, recorded, RunTable.Files(run.Directory, RunTable.PermutationNull), groups));
            }
            else if (permutations > 0)
            {
                Dumped(run, groups, metric, permutations, seed, rows);
            }
        }
        return rows;
    }

    /// <summary>Rows of permutations.parquet whose two groups are both compared, oriented as <paramref name="groups"/>.</summary>
    private static IEnumerable<PermutationRow> Recorded(string run, List<string> files, List<string> nullFiles, IReadOnlyList<string> groups)
    {
        var t = Read(run, files, RunTable.Permutations);
        if (!t.TryGetValue(RunColumns.Run, out var runColumn))
        {
            yield break;
        }
        var nulls = Nulls(run, nullFiles);
        var text = (string name) => (string?[])t[name];
        var integer = (string name) => t.TryGetValue(name, out var c) ? (int?[])c : new int?[runColumn.Length];
        var number = (string name) => t.TryGetValue(name, out var c) ? (double?[])c : new double?[runColumn.Length];
        var layer = text(RunColumns.Layer);
        var metric = text(RunColumns.Metric);
        var groupA = text(RunColumns.GroupA);
        var groupB = text(RunColumns.GroupB);
        var note = text(RunColumns.Note);
        var epoch = integer(RunColumns.Epoch);
        var first = (long?[])t[RunColumns.FirstStep];
        var last = (long?[])t[RunColumns.LastStep];
        var subjectsA = integer(RunColumns.SubjectsA);
        var subjectsB = integer(RunColumns.SubjectsB);
        var universeA = integer(RunColumns.UniverseA);
        var universeB = integer(RunColumns.UniverseB);
        var steps = integer(RunColumns.Steps);
        var statistic = number(RunColumns.Statistic);
        var nullMean = number(RunColumns.NullMean);
        var nullSd = number(RunColumns.NullSd);
        var p = number(RunColumns.P);
        var count = integer(RunColumns.Permutations);
        var seed = integer(RunColumns.RelabellingSeed);
        var shared = t.TryGetValue(RunColumns.SharedRelabellings, out var sh) ? (bool?[])sh : new bool?[runColumn.Length];
        var exact = (bool?[])t[RunColumns.Exact];
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
            // The run writes pairs in its own (sorted) group order; the analysis' reference group comes first. The
            // p-value is two-sided about the null's centre, so it does not change with the orientation.
            bool flip = ia > ib;
            double sign = flip ? -1 : 1;
            var key = (layer[i] ?? "", first[i] ?? 0, last[i] ?? 0, metric[i] ?? "", a, b);
            var result = new PermutationResult(sign * statistic[i], p[i], count[i] ?? 0, exact[i] ?? false, steps[i] ?? 0)
            {
                Null = nulls.TryGetValue(key, out var values) ? values.Select(v => sign * v).ToArray() : [],
                NullMean = sign * nullMean[i],
                NullSd = nullSd[i],
                RelabellingSeed = seed[i] ?? 0,
                Shared = shared[i] ?? false,
            };
            yield return new PermutationRow(run, layer[i] ?? "", epoch[i] ?? 0, first[i] ?? 0, last[i] ?? 0, metric[i] ?? "", result)
            {
                GroupA = flip ? b : a,
                GroupB = flip ? a : b,
                SubjectsA = (flip ? subjectsB[i] : subjectsA[i]) ?? 0,
                SubjectsB = (flip ? subjectsA[i] : subjectsB[i]) ?? 0,
                UniverseA = (flip ? universeB[i] : universeA[i]) ?? 0,
                UniverseB = (flip ? universeA[i] : universeB[i]) ?? 0,
                Source = "recorded",
                Note = string.IsNullOrEmpty(note[i]) ? null : note[i],
            };
        }
    }

    /// <summary>The null statistics of every recorded test, in relabelling order (none for runs of an older format).</summary>
    private static Dictionary<(string, long, long, string, string, string), double[]> Nulls(string run, List<string> files)
    {
        var result = new Dictionary<(string, long, long, string, string, string), double[]>();
        if (files.Count == 0)
        {
            return result;
        }
        var t = Read(run, files, RunTable.PermutationNull);
        if (!t.TryGetValue(RunColumns.Run, out var runColumn))
        {
            return result;
        }
        var layer = (string?[])t[RunColumns.Layer];
        var first = (long?[])t[RunColumns.FirstStep];
        var last = (long?[])t[RunColumns.LastStep];
        var metric = (string?[])t[RunColumns.Metric];
        var a = (string?[])t[RunColumns.GroupA];
        var b = (string?[])t[RunColumns.GroupB];
        var k = (int?[])t[RunColumns.Permutation];
        var statistic = (double?[])t[RunColumns.Statistic];
        var lists = new Dictionary<(string, long, long, string, string, string), List<(int K, double Value)>>();
        for (int i = 0; i < runColumn.Length; i++)
        {
            var key = (layer[i] ?? "", first[i] ?? 0, last[i] ?? 0, metric[i] ?? "", a[i] ?? "", b[i] ?? "");
            if (!lists.TryGetValue(key, out var list))
            {
                lists[key] = list = [];
            }
            list.Add((k[i] ?? 0, statistic[i] ?? double.NaN));
        }
        foreach (var (key, list) in lists)
        {
            result[key] = list.OrderBy(x => x.K).Select(x => x.Value).ToArray();
        }
        return result;
    }

    private static Dictionary<string, Array> Read(string run, List<string> files, string table)
    {
        try
        {
            return ParquetTableReader.ReadAsync(files).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidInputException($"run '{run}': cannot read {table}.parquet: {e.Message}");
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
        // A dump names batch samples, not subjects: the universe is the window's samples.
        var identity = Enumerable.Range(0, subjectGroup.Count).ToArray();
        var results = GramPermutationTest.RunPairs(window, subjectGroup, identity,
            (a, b) => SubjectRelabelling.Of(subjectGroup, a, b, groups[a], groups[b], permutations, seed), groups.Count, metric, shared: false);
        foreach (var r in results)
        {
            rows.Add(new PermutationRow(run, layer, 0, first, last, metric, r.Result)
            {
                GroupA = groups[r.GroupA],
                GroupB = groups[r.GroupB],
                SubjectsA = r.SubjectsA,
                SubjectsB = r.SubjectsB,
                UniverseA = r.UniverseA,
                UniverseB = r.UniverseB,
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
