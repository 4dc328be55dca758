using AutoSpec.Partition;

namespace AutoSpec.Spectra;

/// <summary>
/// Singular values (descending, all structurally non-zero ones: min(rows, p, q) for the gradient) of one group's
/// gradient and factors for one layer and step. A quantity not requested is null.
/// </summary>
public sealed record GroupSpectra(GroupRows Group, SpectrumRoute Route, double[]? Grad, double[]? Act, double[]? Delta)
{
    /// <summary>Route per quantity, when the quantities of this group went different ways (<see cref="PlannedRoute"/>).</summary>
    public IReadOnlyDictionary<SpectrumQuantities, SpectrumRoute>? QuantityRoutes { get; init; }

    /// <summary>The route that computed one quantity.</summary>
    public SpectrumRoute RouteOf(SpectrumQuantities quantity) =>
        QuantityRoutes is not null && QuantityRoutes.TryGetValue(quantity, out var r) ? r : Route;

    /// <summary>The spectrum of one single quantity (Grad, Act or Delta).</summary>
    public double[]? Of(SpectrumQuantities quantity) => quantity switch
    {
        SpectrumQuantities.Grad => Grad,
        SpectrumQuantities.Act => Act,
        SpectrumQuantities.Delta => Delta,
        _ => null,
    };
}
