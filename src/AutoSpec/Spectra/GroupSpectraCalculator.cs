using AutoSpec.Capture;
using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Computes, for one layer and step, the spectra of the whole batch ("all") and of every group present, by the
/// forced route or, with <see cref="SpectrumRoute.Auto"/>, by the cheapest exact route for that layer.
/// </summary>
/// <remarks>
/// Auto takes, per layer and step, the route of the smallest estimated cost (<see cref="RouteCostModel"/>), counting
/// only the work the requested quantities need. The choice depends on the shapes alone, never on timings, so a run
/// with the same configuration and seed gives bit-identical tables (routes agree only up to float rounding).
/// </remarks>
public sealed class GroupSpectraCalculator(SpectrumRoute route, SpectrumQuantities quantities)
{
    /// <summary>The route asked for (Auto = cheapest estimate per layer).</summary>
    public SpectrumRoute Route { get; } = route;

    /// <summary>The quantities computed (Weight is ignored here: see <see cref="WeightSpectrum"/>).</summary>
    public SpectrumQuantities Quantities { get; } = quantities & ~SpectrumQuantities.Weight;

    /// <summary>Spectra of "all" first, then of each present group in partition order.</summary>
    public List<GroupSpectra> Compute(LayerFactors factors, RowPartition partition)
    {
        var groups = new List<GroupRows>(partition.Groups.Count + 1) { partition.All };
        groups.AddRange(partition.Groups);
        if (Quantities == SpectrumQuantities.None)
        {
            return [];
        }
        if (Route != SpectrumRoute.Auto)
        {
            return ComputeWith(Route, factors, groups);
        }
        return ComputeWith(Candidates(factors, groups, Quantities)[0], factors, groups);
    }

    /// <summary>The exact routes for a layer, cheapest estimate first.</summary>
    internal static SpectrumRoute[] Candidates(LayerFactors f, List<GroupRows> groups, SpectrumQuantities q)
    {
        var costs = new Dictionary<SpectrumRoute, double>
        {
            [SpectrumRoute.Qr] = groups.Sum(g => RouteCostModel.Qr(g.RowCount, f.P, f.Q, q)),
            [SpectrumRoute.Direct] = groups.Sum(g => RouteCostModel.Direct(g.RowCount, f.P, f.Q, q)),
            [SpectrumRoute.Gram] = RouteCostModel.Gram(f.Rows, groups.Select(g => (long)g.RowCount), f.P, f.Q, q),
        };
        return costs.OrderBy(c => c.Value).Select(c => c.Key).ToArray();
    }

    private List<GroupSpectra> ComputeWith(SpectrumRoute chosen, LayerFactors factors, List<GroupRows> groups)
    {
        if (chosen == SpectrumRoute.Qr)
        {
            // The groups share one reduction of the layer's factors and are solved as one batch.
            using var qr = new QrRoute(factors);
            return qr.Compute(groups, Quantities);
        }
        using var gram = chosen == SpectrumRoute.Gram ? new GramRoute(factors) : null;
        var result = new List<GroupSpectra>(groups.Count);
        foreach (var g in groups)
        {
            result.Add(chosen switch
            {
                SpectrumRoute.Gram => gram!.Compute(g, Quantities),
                SpectrumRoute.Direct => DirectRoute.Compute(factors, g, Quantities),
                SpectrumRoute.Naive => NaiveRoute.Compute(factors, g, Quantities),
                _ => throw new InvalidOperationException($"no route {chosen}"),
            });
        }
        return result;
    }
}
