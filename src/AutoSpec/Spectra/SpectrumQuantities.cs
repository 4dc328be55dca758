namespace AutoSpec.Spectra;

/// <summary>Which spectra to compute for a captured layer.</summary>
[Flags]
public enum SpectrumQuantities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>σ(G_g), G_g = A_gᵀ Δ_g: the group's weight gradient.</summary>
    Grad = 1,

    /// <summary>σ(A_g): what the layer sees.</summary>
    Act = 2,

    /// <summary>σ(Δ_g): what the layer is told.</summary>
    Delta = 4,

    /// <summary>σ(W): the weight itself (on its own schedule).</summary>
    Weight = 8,

    /// <summary>All of them.</summary>
    All = Grad | Act | Delta | Weight,
}

/// <summary>Names of the quantities as written to the output tables.</summary>
internal static class SpectrumQuantityNames
{
    /// <summary>The single quantities, in output order.</summary>
    public static readonly IReadOnlyList<SpectrumQuantities> Single =
        [SpectrumQuantities.Grad, SpectrumQuantities.Act, SpectrumQuantities.Delta, SpectrumQuantities.Weight];

    /// <summary>The table name of one quantity ("grad", "act", "delta", "weight").</summary>
    public static string Name(SpectrumQuantities q) => q switch
    {
        SpectrumQuantities.Grad => "grad",
        SpectrumQuantities.Act => "act",
        SpectrumQuantities.Delta => "delta",
        SpectrumQuantities.Weight => "weight",
        _ => throw new ArgumentOutOfRangeException(nameof(q), q, "not a single quantity"),
    };

    /// <summary>Parses a comma-separated list such as "grad,act".</summary>
    /// <exception cref="ArgumentException">An unknown name, or none (<see cref="ArgumentException.ParamName"/> is "list").</exception>
    public static SpectrumQuantities Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var result = SpectrumQuantities.None;
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Single.Where(q => Name(q) == part.ToLowerInvariant()).ToList();
            if (match.Count == 0)
            {
                throw new ArgumentException($"unknown quantity '{part}'; use any of grad, act, delta, weight.", nameof(list));
            }
            result |= match[0];
        }
        if (result == SpectrumQuantities.None)
        {
            throw new ArgumentException("no quantity given; use any of grad, act, delta, weight.", nameof(list));
        }
        return result;
    }
}
