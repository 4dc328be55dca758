using System.Diagnostics;
using System.Globalization;
using AutoSpec.Benchmarks.Models;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// The floor of exact spectra for one model: the matrix products and eigen/SVD calls that any exact method needs at
/// the shapes of one real step (the model's own factors and groups, captured from a forward and backward pass), timed
/// alone in this process with none of the product's bookkeeping (no partitioning, gathers, host copies, summaries or
/// recording). Per layer, for every group and "all", σ(G_g), σ(A_g), σ(Δ_g), by the cheaper of two formulations:
/// the Gram blocks (K_A = AAᵀ and K_Δ = ΔΔᵀ formed once per layer, then an n_g-sized eigenproblem per group and
/// quantity: the product K_A[g,g]K_Δ[g,g] and one <c>eigvalsh</c>) or the columns (A_gᵀΔ_g and <c>svdvals</c>,
/// A_gᵀA_g or Δ_gᵀΔ_g and <c>eigvalsh</c>; for the whole batch only the decompositions, its products being the sums
/// of its groups'), chosen per group and quantity, plus σ(W) (the smaller-side Gram of every
/// weight and <c>eigvalsh</c>) once per epoch, amortised over its steps. Each call is timed separately; a call's cost
/// is its fastest repetition, the least disturbed by other users of the machine. A layer whose Δ is another's in
/// another row order (an LSTM's hh, sharing ih's) is charged neither σ(Δ_g) nor, when its owner formed it, K_Δ: the
/// pair pays for them once. Its product time is likewise what the pair's shared computation costs beyond the owner's
/// alone.
/// </summary>
/// <remarks>
/// The Gram formulation's eigenproblem is timed on a symmetric matrix of the block's size, the same work as the
/// product route's Cholesky-free form; numerics are not the point here, only the cost of the calls at these shapes.
/// </remarks>
internal static class SpectraFloor
{
    /// <summary>Floor of one layer per step, in milliseconds, and how it splits.</summary>
    internal sealed record LayerFloor(string Layer, long Rows, long P, long Q, int[] GroupRows, double Milliseconds,
        double GramMilliseconds, int GroupsByGram, int GroupsByColumns, double ProductMilliseconds = 0, double WeightMilliseconds = 0,
        string? SharesDeltaWith = null);

    /// <summary>Floors of every captured layer of <paramref name="spec"/>'s model at its first batch.</summary>
    public static IReadOnlyList<LayerFloor> Measure(IBenchmarkModel spec, ScalarType precision, int reps, int seed)
    {
        torch.random.manual_seed(seed);
        using var model = spec.CreateModel();
        model.train();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var capture = ModelCapture.Attach(model);
        capture.Enabled = true;
        var batch = spec.Batch(0);
        List<LayerFactors> factors;
        using (var scope = NewDisposeScope())
        {
            nn.functional.cross_entropy(model.call(batch.Inputs), batch.Labels).backward();
            factors = capture.TakeFactors(batch.SampleGroup.Length);
        }
        capture.Clear();
        try
        {
            var floors = new List<LayerFloor>();
            var measured = new Dictionary<string, (LayerFactors Factors, RowPartition Partition, LayerFloor Floor)>();
            // Gates of recurrent layers are column blocks of their layer's factors, introspected only on request.
            foreach (var f in factors.Where(f => f.LayerKind != "gate"))
            {
                var partition = RowPartition.Create(f.RowSample, batch.SampleGroup, spec.GroupNames);
                var groups = new List<GroupRows> { partition.All };
                groups.AddRange(partition.Groups);
                // The product's own spectra of the same factors (Auto route), timed the same way, for the ratio.
                var calculator = new GroupSpectraCalculator(SpectrumRoute.Auto, SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta);
                LayerFloor floor;
                if (f.SharesAdjointsWith is { } name && measured.TryGetValue(name, out var owner)
                    && GroupSpectraCalculator.SharesWith(f, partition, owner.Factors, owner.Partition))
                {
                    floor = Layer(f, groups, precision, reps, sharedDelta: true, deltaGramFormed: owner.Floor.GramMilliseconds > 0);
                    var pair = new[] { (owner.Factors, owner.Partition), (f, partition) };
                    double both = TimeAction(reps, () => calculator.ComputeShared(pair));
                    floor = floor with { ProductMilliseconds = Math.Max(both - owner.Floor.ProductMilliseconds, 0), SharesDeltaWith = name };
                }
                else
                {
                    floor = Layer(f, groups, precision, reps, sharedDelta: false, deltaGramFormed: false);
                    floor = floor with { ProductMilliseconds = TimeAction(reps, () => calculator.Compute(f, partition)) };
                }
                measured[f.Layer] = (f, partition, floor);
                double weight = weights.TryGetValue(f.Layer + ".weight", out var w)
                    ? Weight(w, precision, reps) / spec.StepsPerEpoch
                    : 0;
                floors.Add(floor with { Milliseconds = floor.Milliseconds + weight, WeightMilliseconds = weight });
            }
            return floors;
        }
        finally
        {
            foreach (var f in factors)
            {
                f.Dispose();
            }
        }
    }

    /// <summary>One table row per layer and the model's total, for the report.</summary>
    public static string Describe(IBenchmarkModel spec, IReadOnlyList<LayerFloor> f64, IReadOnlyList<LayerFloor> f32)
    {
        var table = new MarkdownTable("layer", "rows n", "p", "q", "rows per group (all first)", "floor f64 ms/step",
            "of which K_A, K_Δ", "groups × quantities by Gram / by columns", "floor f32 ms/step",
            "product's spectra of G, A, Δ (auto) ms", "product ÷ floor (σ(W) excluded)");
        for (int i = 0; i < f64.Count; i++)
        {
            var l = f64[i];
            table.Add(l.SharesDeltaWith is null ? l.Layer : $"{l.Layer} (Δ of {l.SharesDeltaWith})", Text(l.Rows), Text(l.P), Text(l.Q), string.Join(", ", l.GroupRows),
                l.Milliseconds.ToString("F3", CultureInfo.InvariantCulture), l.GramMilliseconds.ToString("F3", CultureInfo.InvariantCulture),
                $"{l.GroupsByGram} / {l.GroupsByColumns}", f32[i].Milliseconds.ToString("F3", CultureInfo.InvariantCulture),
                l.ProductMilliseconds.ToString("F3", CultureInfo.InvariantCulture),
                (l.ProductMilliseconds / (l.Milliseconds - l.WeightMilliseconds)).ToString("F2", CultureInfo.InvariantCulture) + "×");
        }
        table.Add("**total**", "", "", "", "", f64.Sum(l => l.Milliseconds).ToString("F3", CultureInfo.InvariantCulture), "", "",
            f32.Sum(l => l.Milliseconds).ToString("F3", CultureInfo.InvariantCulture),
            f64.Sum(l => l.ProductMilliseconds).ToString("F3", CultureInfo.InvariantCulture),
            (f64.Sum(l => l.ProductMilliseconds) / f64.Sum(l => l.Milliseconds - l.WeightMilliseconds)).ToString("F2", CultureInfo.InvariantCulture) + "×");
        return $"Floor of exact spectra for {spec.Description} (σ(W) amortised over {spec.StepsPerEpoch} steps per epoch is included in each layer's floor; a layer marked \"Δ of\" shares another's Δ: σ(Δ_g) and, where that layer formed it, K_Δ are charged to that layer alone, and its product time is what the pair's shared computation costs beyond that layer's alone):\n\n{table}";
    }

    private static string Text(long x) => x.ToString(CultureInfo.InvariantCulture);

    /// <param name="f">The layer's factors.</param>
    /// <param name="groups">"all", then the groups.</param>
    /// <param name="precision">The precision of every call.</param>
    /// <param name="reps">Timed repetitions per call.</param>
    /// <param name="sharedDelta">σ(Δ_g) is another layer's (computed there): not charged here.</param>
    /// <param name="deltaGramFormed">K_Δ was formed for that layer and only needs reordering: not charged here.</param>
    private static LayerFloor Layer(LayerFactors f, List<GroupRows> groups, ScalarType precision, int reps, bool sharedDelta, bool deltaGramFormed)
    {
        using var scope = NewDisposeScope();
        var a = f.Inputs.detach().to_type(precision);
        var d = f.Adjoints.detach().to_type(precision);
        long n = f.Rows;
        // The Gram blocks are timed only where they could be the cheaper formulation: with more rows than 4× the wider
        // side, n×n products and n-sized eigenproblems cost far more than the column products (a 3D-CNN layer of
        // 8 192 rows would spend minutes per repetition on them), and beyond 16 384 rows they would not fit.
        bool gramPossible = n <= 16384 && n <= 4 * Math.Max(f.P, f.Q);
        Tensor? ka = null, kd = null;
        double gram = double.PositiveInfinity;
        if (gramPossible)
        {
            gram = Time(reps, () => a.mm(a.t())) + (deltaGramFormed ? 0 : Time(reps, () => d.mm(d.t())));
            ka = a.mm(a.t());
            kd = d.mm(d.t());
        }
        double byColumns = 0, byBlocks = 0;
        int gramChoices = 0, columnChoices = 0;
        foreach (var g in groups)
        {
            using var rows = tensor(g.Rows, ScalarType.Int64);
            var ag = a.index_select(0, rows);
            var dg = d.index_select(0, rows);
            // The whole batch's column products are the sums of its groups' (the groups partition the rows): only its
            // SVD and eigenproblems count.
            bool all = g.RowCount == n;
            var gradient = ag.t().mm(dg);
            var inputs = ag.t().mm(ag);
            var adjoints = dg.t().mm(dg);
            var columns = all
                ? new[]
                {
                    Time(reps, () => linalg.svdvals(gradient)),
                    Time(reps, () => linalg.eigvalsh(inputs)),
                    Time(reps, () => linalg.eigvalsh(adjoints)),
                }
                : new[]
                {
                    Time(reps, () => linalg.svdvals(ag.t().mm(dg))),
                    Time(reps, () => linalg.eigvalsh(ag.t().mm(ag))),
                    Time(reps, () => linalg.eigvalsh(dg.t().mm(dg))),
                };
            if (sharedDelta)
            {
                columns[2] = 0;
            }
            byColumns += columns.Sum();
            if (!gramPossible)
            {
                columnChoices += sharedDelta ? 2 : 3;
                continue;
            }
            var kag = ka!.index_select(0, rows).index_select(1, rows);
            var kdg = kd!.index_select(0, rows).index_select(1, rows);
            var blocks = new[]
            {
                Time(reps, () => { var m = kag.mm(kdg); return linalg.eigvalsh(m + m.t()); }),
                Time(reps, () => linalg.eigvalsh(kag)),
                sharedDelta ? 0 : Time(reps, () => linalg.eigvalsh(kdg)),
            };
            // A shared σ(Δ_g) is no choice of this layer's.
            for (int k = 0; k < (sharedDelta ? 2 : 3); k++)
            {
                byBlocks += Math.Min(blocks[k], columns[k]);
                gramChoices += blocks[k] < columns[k] ? 1 : 0;
                columnChoices += blocks[k] < columns[k] ? 0 : 1;
            }
        }
        bool useGram = gramPossible && gram + byBlocks < byColumns;
        return new LayerFloor(f.Layer, n, f.P, f.Q, [.. groups.Select(g => g.RowCount)],
            useGram ? gram + byBlocks : byColumns, useGram ? gram : 0,
            useGram ? gramChoices : 0, useGram ? columnChoices : groups.Count * (sharedDelta ? 2 : 3), ProductMilliseconds: 0);
    }

    /// <summary>σ(W) from the Gram matrix over the smaller side of the weight (as q×p).</summary>
    private static double Weight(Tensor weight, ScalarType precision, int reps)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().reshape(weight.shape[0], -1).to_type(precision);
        var small = w.shape[0] <= w.shape[1] ? w : w.t();
        return Time(reps, () => linalg.eigvalsh(small.mm(small.t())));
    }

    private static double TimeAction(int reps, Action call) => Time(reps, () =>
    {
        call();
        return zeros(1);
    });

    /// <summary>
    /// The fastest of <paramref name="reps"/> timed calls (after one untimed call), in milliseconds; what a call makes
    /// is freed after it, outside the time.
    /// </summary>
    private static double Time(int reps, Func<Tensor> call)
    {
        using (NewDisposeScope())
        {
            call();
        }
        double best = double.PositiveInfinity;
        for (int r = 0; r < reps; r++)
        {
            using var scope = NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }
}
