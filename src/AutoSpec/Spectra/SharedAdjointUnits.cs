using AutoSpec.Capture;

namespace AutoSpec.Spectra;

/// <summary>
/// Groups a step's layers into units computed together by <see cref="GroupSpectraCalculator.ComputeShared"/>: a layer
/// and the later layers declared to share its Δ (<see cref="LayerFactors.SharesAdjointsWith"/>); every other layer is
/// a unit of its own.
/// </summary>
internal static class SharedAdjointUnits
{
    /// <summary>Indices into <paramref name="factors"/> per unit, owner first, units in the order of their owners.</summary>
    public static List<List<int>> Of(IReadOnlyList<LayerFactors> factors)
    {
        var units = new List<List<int>>();
        var unitOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < factors.Count; i++)
        {
            var f = factors[i];
            // A sharer whose owner is not earlier in this step stands alone: the owner's results would come too late.
            if (f.SharesAdjointsWith is { } owner && unitOf.TryGetValue(owner, out var unit) && factors[unit[0]].Layer == owner)
            {
                unit.Add(i);
                continue;
            }
            unit = [i];
            units.Add(unit);
            unitOf.TryAdd(f.Layer, unit);
        }
        return units;
    }
}
