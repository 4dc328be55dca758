using AutoSpec.Capture;
using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Computes, for one layer and step, the spectra of the whole batch ("all") and of every group present, by the
/// forced route or, with <see cref="SpectrumRoute.Auto"/>, by the cheapest exact route for that layer.
/// </summary>
/// <remarks>
/// Auto takes, per layer and step, the QR route or the per-group, per-quantity plan of <see cref="PlannedRoute"/>,
/// whichever is estimated cheaper, counting only the work the requested quantities need. The choice depends on the shapes alone, never on timings, so a run
/// with the same configuration and seed gives bit-identical tables (routes agree only up to float rounding).
/// </remarks>
internal sealed class GroupSpectraCalculator(SpectrumRoute route, SpectrumQuantities quantities,
    SpectrumPrecision precision = SpectrumPrecision.Double)
{
    /// <summary>Rows beyond which the Gram route is refused (two n×n float64 matrices of 4 GB at this size).</summary>
    internal const long MaxGramRows = 16384;

    /// <summary>The route asked for (Auto = cheapest estimate per layer).</summary>
    public SpectrumRoute Route { get; } = route;

    /// <summary>The precision every product and decomposition runs in.</summary>
    public SpectrumPrecision Precision { get; } = precision;

    /// <summary>The quantities computed (Weight is ignored here: see <see cref="WeightSpectrum"/>).</summary>
    public SpectrumQuantities Quantities { get; } = quantities & ~SpectrumQuantities.Weight;

    /// <summary>Spectra of "all" first, then of each present group in partition order.</summary>
    public List<GroupSpectra> Compute(LayerFactors factors, RowPartition partition)
    {
        var groups = Groups(partition);
        if (Quantities == SpectrumQuantities.None)
        {
            return [];
        }
        if (Route != SpectrumRoute.Auto)
        {
            return ComputeWith(Route, factors, groups);
        }
        // The plan depends on the shapes alone: a run is reproducible whatever the machine's load.
        var plan = PlannedRoute.Choose(factors, groups, Quantities);
        double qr = groups.Sum(g => RouteCostModel.Qr(g.RowCount, factors.P, factors.Q, Quantities));
        return qr < plan.Cost
            ? ComputeWith(SpectrumRoute.Qr, factors, groups)
            : PlannedRoute.Compute(factors, groups, Quantities, plan, Precision.Working());
    }

    private static List<GroupRows> Groups(RowPartition partition)
    {
        var groups = new List<GroupRows>(partition.Groups.Count + 1) { partition.All };
        groups.AddRange(partition.Groups);
        return groups;
    }

    /// <summary>
    /// Spectra of a unit of layers that share Δ: the owner first, then layers whose
    /// <see cref="LayerFactors.SharesAdjointsWith"/> names it; one list per layer, as <see cref="Compute"/> gives.
    /// </summary>
    /// <remarks>
    /// With <see cref="SpectrumRoute.Auto"/>, a sharer whose Δ passes <see cref="SharesWith"/> takes the owner's
    /// per-group σ(Δ_g) (the same rows of every group, reordered) and, when it pays, K_Δ formed once from the owner's Δ
    /// and gathered in the sharer's row order; the plans of the whole unit are chosen together, from the shapes alone.
    /// A forced route, or a sharer that fails the check, is computed on its own as by <see cref="Compute"/>.
    /// </remarks>
    public List<GroupSpectra>[] ComputeShared(IReadOnlyList<(LayerFactors Factors, RowPartition Partition)> unit)
    {
        var results = new List<GroupSpectra>[unit.Count];
        if (unit.Count == 0)
        {
            return results;
        }
        var (owner, ownerPartition) = unit[0];
        var sharers = new List<int>();
        for (int i = 1; i < unit.Count; i++)
        {
            if (Route == SpectrumRoute.Auto && Quantities != SpectrumQuantities.None
                && SharesWith(unit[i].Factors, unit[i].Partition, owner, ownerPartition))
            {
                sharers.Add(i);
            }
            else
            {
                results[i] = Compute(unit[i].Factors, unit[i].Partition);
            }
        }
        if (sharers.Count == 0)
        {
            results[0] = Compute(owner, ownerPartition);
            return results;
        }
        var ownerGroups = Groups(ownerPartition);
        var given = Quantities & ~SpectrumQuantities.Delta;
        // One K_Δ for the unit or none: the choice that costs least over all its layers, from the shapes alone.
        (double Cost, bool Qr, PlannedRoute.Plan Plan) Best(LayerFactors f, List<GroupRows> groups, SpectrumQuantities q, bool kdGiven)
        {
            var plan = PlannedRoute.Choose(groups.Select(g => (long)g.RowCount).ToList(), f.P, f.Q, q, kdGiven);
            double qr = groups.Sum(g => RouteCostModel.Qr(g.RowCount, f.P, f.Q, q));
            return qr < plan.Cost ? (qr, true, plan) : (plan.Cost, false, plan);
        }
        var sharerGroups = sharers.Select(i => Groups(unit[i].Partition)).ToList();
        (double Cost, bool Qr, PlannedRoute.Plan Plan)[] Choices(bool kd) =>
        [
            Best(owner, ownerGroups, Quantities, kd),
            .. sharers.Select((i, k) => given == SpectrumQuantities.None
                ? (0, false, PlannedRoute.Choose([.. sharerGroups[k].Select(g => (long)g.RowCount)], unit[i].Factors.P, unit[i].Factors.Q, given))
                : Best(unit[i].Factors, sharerGroups[k], given, kd)),
        ];
        var separate = Choices(false);
        var together = Choices(true);
        bool shareGram = PlannedRoute.GramCost(owner.Rows, owner.Q) + together.Sum(c => c.Cost) < separate.Sum(c => c.Cost);
        var choices = shareGram ? together : separate;

        using var scope = TorchSharp.torch.NewDisposeScope();
        var working = Precision.Working();
        TorchSharp.torch.Tensor? ownerGram = null;
        // Formed on first use only: a plan that takes no K_Δ never pays for it.
        TorchSharp.torch.Tensor? Gram(PlannedRoute.Plan plan, SpectrumQuantities quantities)
        {
            if (!shareGram || !PlannedRoute.UsesDeltaGram(plan, quantities))
            {
                return null;
            }
            if (ownerGram is null)
            {
                using var d = owner.Adjoints.to_type(working);
                ownerGram = d.mm(d.t());
            }
            return ownerGram;
        }
        results[0] = choices[0].Qr
            ? ComputeWith(SpectrumRoute.Qr, owner, ownerGroups)
            : PlannedRoute.Compute(owner, ownerGroups, Quantities, choices[0].Plan, working, Gram(choices[0].Plan, Quantities));
        for (int k = 0; k < sharers.Count; k++)
        {
            var f = unit[sharers[k]].Factors;
            var groups = sharerGroups[k];
            List<GroupSpectra> own;
            if (given == SpectrumQuantities.None)
            {
                own = [.. groups.Select(g => new GroupSpectra(g, SpectrumRoute.Direct, null, null, null))];
            }
            else if (choices[k + 1].Qr)
            {
                using var qr = new QrRoute(f, working);
                own = qr.Compute(groups, given);
            }
            else
            {
                var gram = Gram(choices[k + 1].Plan, given);
                using var rows = gram is null ? null : TorchSharp.torch.tensor(f.OwnerRows!);
                using var gathered = rows is null ? null : gram!.index_select(0, rows).index_select(1, rows);
                own = PlannedRoute.Compute(f, groups, given, choices[k + 1].Plan, working, gathered);
            }
            results[sharers[k]] = [.. own.Select((s, g) => WithOwnersDelta(s, results[0][g]))];
        }
        return results;
    }

    /// <summary>A sharer's spectra with the owner's σ(Δ) of the same group, and the route that computed it.</summary>
    private GroupSpectra WithOwnersDelta(GroupSpectra own, GroupSpectra owner)
    {
        if (!Quantities.HasFlag(SpectrumQuantities.Delta))
        {
            return own;
        }
        var routes = new Dictionary<SpectrumQuantities, SpectrumRoute>();
        foreach (var q in new[] { SpectrumQuantities.Grad, SpectrumQuantities.Act })
        {
            if (Quantities.HasFlag(q))
            {
                routes[q] = own.RouteOf(q);
            }
        }
        routes[SpectrumQuantities.Delta] = owner.RouteOf(SpectrumQuantities.Delta);
        return own with { Route = routes.First().Value, Delta = owner.Delta, QuantityRoutes = routes };
    }

    /// <summary>
    /// Whether <paramref name="sharer"/>'s Δ really holds <paramref name="owner"/>'s rows in the declared order, with
    /// the same groups: the declaration, the row map (a permutation keeping each row with its sample), both partitions
    /// (same groups, sizes and samples) and Δ itself, the owner's gathered rows compared with the sharer's (one pass
    /// over Δ, against the n²q of a Gram matrix). A wrong declaration then costs the sharing, never wrong numbers.
    /// </summary>
    internal static bool SharesWith(LayerFactors sharer, RowPartition sharerPartition, LayerFactors owner, RowPartition ownerPartition)
    {
        if (sharer.SharesAdjointsWith != owner.Layer || sharer.OwnerRows is not { } map
            || sharer.Rows != owner.Rows || sharer.Q != owner.Q || map.Length != sharer.Rows)
        {
            return false;
        }
        var seen = new bool[owner.Rows];
        for (int r = 0; r < map.Length; r++)
        {
            long m = map[r];
            if ((ulong)m >= (ulong)owner.Rows || seen[m] || owner.RowSample[m] != sharer.RowSample[r])
            {
                return false;
            }
            seen[m] = true;
        }
        var a = Groups(sharerPartition);
        var b = Groups(ownerPartition);
        if (a.Count != b.Count || a.Zip(b).Any(x => x.First.Group != x.Second.Group
            || x.First.RowCount != x.Second.RowCount || x.First.SampleCount != x.Second.SampleCount))
        {
            return false;
        }
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var rows = TorchSharp.torch.tensor(map);
        // Equal in practice bit for bit (the same adjoint tensor reaches both), which eq() tells faster than
        // allclose(); the tolerance only spares a reordering of float sums, should a model ever compute the shared
        // adjoint twice.
        using var gathered = owner.Adjoints.index_select(0, rows);
        return gathered.eq(sharer.Adjoints).all().item<bool>() || gathered.allclose(sharer.Adjoints, rtol: 1e-6, atol: 0);
    }

    private List<GroupSpectra> ComputeWith(SpectrumRoute chosen, LayerFactors factors, List<GroupRows> groups)
    {
        if (chosen == SpectrumRoute.Qr)
        {
            // The groups share one reduction of the layer's factors and are solved as one batch.
            using var qr = new QrRoute(factors, Precision.Working());
            return qr.Compute(groups, Quantities);
        }
        if (chosen == SpectrumRoute.Gram && factors.Rows > MaxGramRows)
        {
            throw new InvalidInputException(
                $"--route gram: layer '{factors.Layer}' has {factors.Rows} rows per step, whose {factors.Rows}×{factors.Rows} float64 Gram matrices would take {2.0 * factors.Rows * factors.Rows * 8 / 1e9:F1} GB; use --route auto or direct for it.");
        }
        using var gram = chosen == SpectrumRoute.Gram ? new GramRoute(factors, Precision.Working()) : null;
        var result = new List<GroupSpectra>(groups.Count);
        foreach (var g in groups)
        {
            result.Add(chosen switch
            {
                SpectrumRoute.Gram => gram!.Compute(g, Quantities),
                SpectrumRoute.Direct => DirectRoute.Compute(factors, g, Quantities, Precision.Working()),
                SpectrumRoute.Naive => NaiveRoute.Compute(factors, g, Quantities, Precision.Working()),
                _ => throw new InvalidOperationException($"no route {chosen}"),
            });
        }
        return result;
    }
}
