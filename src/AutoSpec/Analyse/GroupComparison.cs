namespace AutoSpec.Analyse;

/// <summary>
/// Compares groups across runs (DESIGN.md, "Comparing groups honestly"): runs are the replicates, each run's metric
/// is averaged per epoch, groups are paired within a run; every layer × quantity × metric × epoch × pair is tested,
/// p-values are FDR-corrected over the chosen family, and effect sizes come with bootstrap intervals.
/// </summary>
public static class GroupComparison
{
    /// <summary>Runs the comparison.</summary>
    public static GroupComparisonResult Run(RunSet runs, GroupComparisonOptions options)
    {
        options.Validate();
        var notes = new List<string>();
        var values = EpochValues(runs.Runs, options, notes);
        var available = values.Select(v => v.Group).Where(g => g != "all").Distinct().Order(StringComparer.Ordinal).ToList();
        var groups = options.Groups?.ToList() ?? available;
        foreach (var g in groups.Where(g => !available.Contains(g)))
        {
            throw new InvalidInputException($"--groups: group '{g}' is not in the runs (groups: {string.Join(", ", available)}).");
        }
        if (groups.Count < 2)
        {
            throw new InvalidInputException($"the runs have fewer than two groups to compare ({string.Join(", ", available)}).");
        }
        foreach (var layer in options.Layers ?? [])
        {
            if (!values.Any(v => v.Layer == layer))
            {
                throw new InvalidInputException($"--layers: layer '{layer}' has no recorded values in the runs.");
            }
        }

        var lookup = values.ToDictionary(v => (v.Run, v.Layer, v.Quantity, v.Metric, v.Epoch, v.Group), v => v.Value);
        var runIds = runs.Runs.Select(r => r.Run).ToList();
        var cells = values.Select(v => (v.Layer, v.Quantity, v.Metric, v.Epoch)).Distinct()
            .OrderBy(c => c.Layer, StringComparer.Ordinal).ThenBy(c => c.Quantity, StringComparer.Ordinal)
            .ThenBy(c => options.Metrics.ToList().IndexOf(c.Metric)).ThenBy(c => c.Epoch).ToList();
        var pairs = new List<(string A, string B)>();
        for (int i = 0; i < groups.Count; i++)
        {
            for (int j = i + 1; j < groups.Count; j++)
            {
                pairs.Add((groups[i], groups[j]));
            }
        }

        var rows = new List<GroupTestRow>();
        foreach (var (layer, quantity, metric, epoch) in cells)
        {
            foreach (var (a, b) in pairs)
            {
                double? Value(string run, string g) =>
                    lookup.TryGetValue((run, layer, quantity, metric, epoch, g), out var v) ? v : null;
                var xa = runIds.Select(r => Value(r, a)).ToList();
                var xb = runIds.Select(r => Value(r, b)).ToList();
                var row = Compare(xa, xb, options, seed: rows.Count) with
                {
                    Layer = layer,
                    Quantity = quantity,
                    Metric = metric,
                    Epoch = epoch,
                    GroupA = a,
                    GroupB = b,
                };
                rows.Add(row);
            }
        }
        return new GroupComparisonResult(options, groups, values, Adjust(rows, options), notes);
    }

    /// <summary>Per run, layer, quantity, group, epoch and metric: the mean over the steps where it is defined.</summary>
    public static List<EpochValue> EpochValues(IReadOnlyList<RunData> runs, GroupComparisonOptions options, List<string>? notes = null)
    {
        var result = new List<EpochValue>();
        var quantities = options.Quantities.ToHashSet(StringComparer.Ordinal);
        var layers = options.Layers?.ToHashSet(StringComparer.Ordinal);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var layer = run.MetricText("layer");
            var group = run.MetricText("group");
            var quantity = run.MetricText("quantity");
            var epoch = run.MetricColumn<int>("epoch")!;
            var present = run.MetricColumn<bool>("present");
            var sums = new Dictionary<(string, string, string, int, string), (double Sum, int Count)>();
            foreach (var metric in options.Metrics)
            {
                var column = run.MetricColumn<double>(metric);
                if (column is null)
                {
                    missing.Add(metric);
                    continue;
                }
                for (int i = 0; i < column.Length; i++)
                {
                    if (column[i] is not double v || !double.IsFinite(v) || present?[i] == false
                        || !quantities.Contains(quantity[i]!) || (layers is not null && !layers.Contains(layer[i]!)))
                    {
                        continue;
                    }
                    var key = (layer[i]!, quantity[i]!, group[i]!, epoch[i]!.Value, metric);
                    var (s, c) = sums.GetValueOrDefault(key);
                    sums[key] = (s + v, c + 1);
                }
            }
            foreach (var ((l, q, g, e, m), (s, c)) in sums)
            {
                result.Add(new EpochValue(run.Run, run.Seed, run.Fold, l, q, g, e, m, s / c, c));
            }
        }
        if (missing.Count > 0)
        {
            notes?.Add($"metrics not in every run's metrics.parquet (older format?): {string.Join(", ", missing)}");
        }
        return result.OrderBy(v => v.Run, StringComparer.Ordinal).ThenBy(v => v.Layer, StringComparer.Ordinal)
            .ThenBy(v => v.Quantity, StringComparer.Ordinal).ThenBy(v => v.Metric, StringComparer.Ordinal)
            .ThenBy(v => v.Group, StringComparer.Ordinal).ThenBy(v => v.Epoch).ToList();
    }

    /// <summary>Tests, effect size and intervals of one cell; identification fields are filled by the caller.</summary>
    internal static GroupTestRow Compare(IReadOnlyList<double?> xa, IReadOnlyList<double?> xb, GroupComparisonOptions options, int seed)
    {
        bool paired = options.Test is GroupTest.PairedT or GroupTest.Wilcoxon;
        double[] a, b;
        if (paired)
        {
            var both = Enumerable.Range(0, xa.Count).Where(i => xa[i] is not null && xb[i] is not null).ToArray();
            a = both.Select(i => xa[i]!.Value).ToArray();
            b = both.Select(i => xb[i]!.Value).ToArray();
        }
        else
        {
            a = xa.Where(v => v is not null).Select(v => v!.Value).ToArray();
            b = xb.Where(v => v is not null).Select(v => v!.Value).ToArray();
        }
        double? meanA = a.Length > 0 ? a.Average() : null, meanB = b.Length > 0 ? b.Average() : null;
        int resamples = options.BootstrapResamples;
        double level = options.ConfidenceLevel;
        TestResult main;
        double? effect, rankBiserial, pT = null, pW = null;
        ConfidenceInterval? effectCi = null, rankCi = null;
        if (paired)
        {
            var d = b.Zip(a, (y, x) => y - x).ToArray();
            var t = TTest.Paired(b, a);
            var w = d.Length == 0
                ? TestResult.NotRun("wilcoxon", 0, TestStatus.TooFewReplicates, "no run has values for both groups")
                : WilcoxonSignedRankTest.Test(d);
            pT = t.PValue;
            pW = w.PValue;
            main = options.Test == GroupTest.PairedT ? t : w;
            effect = EffectSize.CohensDz(d);
            rankBiserial = EffectSize.RankBiserialPaired(d);
            if (resamples > 0 && d.Length >= 2)
            {
                effectCi = Bootstrap.OneSample(d, EffectSize.CohensDz, level, resamples, seed);
                rankCi = Bootstrap.OneSample(d, EffectSize.RankBiserialPaired, level, resamples, seed);
            }
        }
        else
        {
            main = options.Test == GroupTest.Welch ? TTest.Welch(b, a) : MannWhitneyUTest.Test(b, a);
            effect = EffectSize.CohensD(b, a);
            rankBiserial = EffectSize.RankBiserial(b, a);
            if (resamples > 0 && a.Length >= 2 && b.Length >= 2)
            {
                effectCi = Bootstrap.TwoSample(b, a, EffectSize.CohensD, level, resamples, seed);
                rankCi = Bootstrap.TwoSample(b, a, EffectSize.RankBiserial, level, resamples, seed);
            }
        }
        int n = paired ? a.Length : Math.Max(a.Length, b.Length);
        if (main.Status == TestStatus.Ok && n < 2)
        {
            main = TestResult.NotRun(main.Test, n, TestStatus.TooFewReplicates, $"only {n} run(s) with values");
        }
        return new GroupTestRow
        {
            Layer = "",
            Quantity = "",
            Metric = "",
            Epoch = 0,
            GroupA = "",
            GroupB = "",
            Runs = n,
            MeanA = meanA,
            MeanB = meanB,
            MeanDifference = meanA is not null && meanB is not null ? meanB - meanA : null,
            Test = main.Test,
            Statistic = main.Statistic,
            DegreesOfFreedom = main.DegreesOfFreedom,
            P = main.PValue,
            Family = "",
            EffectName = paired ? "cohens_dz" : "cohens_d",
            Effect = effect,
            EffectLow = effectCi?.Low,
            EffectHigh = effectCi?.High,
            RankBiserial = rankBiserial,
            RankBiserialLow = rankCi?.Low,
            RankBiserialHigh = rankCi?.High,
            PPairedT = pT,
            PWilcoxon = pW,
            Status = StatusName(main.Status),
            Note = main.Note,
        };
    }

    /// <summary>BH and BY within each family; significance by the chosen procedure.</summary>
    private static List<GroupTestRow> Adjust(List<GroupTestRow> rows, GroupComparisonOptions options)
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

    /// <summary>"all", or the values of the chosen fields, e.g. "layer=fc1,metric=effective_rank".</summary>
    internal static string FamilyName(GroupTestRow row, IReadOnlyList<string> fields) => fields.Count == 0
        ? "all"
        : string.Join(",", fields.Select(f => f + "=" + f switch
        {
            "layer" => row.Layer,
            "quantity" => row.Quantity,
            "metric" => row.Metric,
            "epoch" => row.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => row.GroupA + "-" + row.GroupB,
        }));

    internal static string StatusName(TestStatus status) => status switch
    {
        TestStatus.Ok => "ok",
        TestStatus.TooFewReplicates => "too_few_replicates",
        _ => "no_variation",
    };
}
