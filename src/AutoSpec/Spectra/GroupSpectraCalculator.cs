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
        // The plan depends on the shapes alone: a run is reproducible whatever the machine's load.
        var plan = PlannedRoute.Choose(factors, groups, Quantities);
        double qr = groups.Sum(g => RouteCostModel.Qr(g.RowCount, factors.P, factors.Q, Quantities));
        return qr < plan.Cost
            ? ComputeWith(SpectrumRoute.Qr, factors, groups)
            : PlannedRoute.Compute(factors, groups, Quantities, plan, Precision.Working());
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
