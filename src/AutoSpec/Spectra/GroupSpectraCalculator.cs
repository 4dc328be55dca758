using AutoSpec.Capture;
using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Computes, for one layer and step, the spectra of the whole batch ("all") and of every group present, by the
/// forced route or by the cheapest exact one.
/// </summary>
public sealed class GroupSpectraCalculator(SpectrumRoute route, SpectrumQuantities quantities)
{
    /// <summary>The route asked for (Auto = chosen per layer and step).</summary>
    public SpectrumRoute Route { get; } = route;

    /// <summary>The quantities computed (Weight is ignored here: see <see cref="WeightSpectrum"/>).</summary>
    public SpectrumQuantities Quantities { get; } = quantities & ~SpectrumQuantities.Weight;

    /// <summary>Spectra of "all" first, then of each present group in partition order.</summary>
    public List<GroupSpectra> Compute(LayerFactors factors, RowPartition partition)
    {
        var groups = new List<GroupRows>(partition.Groups.Count + 1) { partition.All };
        groups.AddRange(partition.Groups);
        var result = new List<GroupSpectra>(groups.Count);
        if (Quantities == SpectrumQuantities.None)
        {
            return result;
        }
        var chosen = Route == SpectrumRoute.Auto ? ChooseForLayer(factors, groups) : Route;
        var routes = groups
            .Select(g => chosen == SpectrumRoute.Auto ? RouteCostModel.CheaperPerGroup(g.RowCount, factors.P, factors.Q) : chosen)
            .ToArray();
        var spectra = new GroupSpectra[groups.Count];
        // The QR groups share one reduction of the layer's factors and are solved as one batch.
        var qrGroups = Enumerable.Range(0, groups.Count).Where(i => routes[i] == SpectrumRoute.Qr).ToArray();
        if (qrGroups.Length > 0)
        {
            using var qr = new QrRoute(factors);
            var batch = qr.Compute(qrGroups.Select(i => groups[i]).ToList(), Quantities);
            for (int k = 0; k < qrGroups.Length; k++)
            {
                spectra[qrGroups[k]] = batch[k];
            }
        }
        using var gram = chosen == SpectrumRoute.Gram ? new GramRoute(factors) : null;
        for (int i = 0; i < groups.Count; i++)
        {
            spectra[i] ??= routes[i] switch
            {
                SpectrumRoute.Gram => gram!.Compute(groups[i], Quantities),
                SpectrumRoute.Direct => DirectRoute.Compute(factors, groups[i], Quantities),
                SpectrumRoute.Naive => NaiveRoute.Compute(factors, groups[i], Quantities),
                _ => throw new InvalidOperationException($"no route {routes[i]}"),
            };
        }
        result.AddRange(spectra);
        return result;
    }

    /// <summary>Gram for the whole layer when it beats the best per-group mix, otherwise Auto (per group).</summary>
    private static SpectrumRoute ChooseForLayer(LayerFactors f, List<GroupRows> groups)
    {
        double perGroup = groups.Sum(g => Math.Min(RouteCostModel.Qr(g.RowCount, f.P, f.Q), RouteCostModel.Direct(g.RowCount, f.P, f.Q)));
        double gram = RouteCostModel.Gram(f.Rows, groups.Select(g => (long)g.RowCount), f.P, f.Q);
        return gram < perGroup ? SpectrumRoute.Gram : SpectrumRoute.Auto;
    }
}
