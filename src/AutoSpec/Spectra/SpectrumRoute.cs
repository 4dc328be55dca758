namespace AutoSpec.Spectra;

/// <summary>How the singular values of a group gradient G_g = A_gᵀ Δ_g are computed. All routes are exact.</summary>
public enum SpectrumRoute
{
    /// <summary>
    /// Per layer and step, the cheaper estimate of the QR route and of a plan that takes each group's each quantity
    /// over the smaller side of its matrices ("gram" or "direct" in the tables), the whole batch reusing its groups'
    /// cross-products.
    /// </summary>
    Auto,

    /// <summary>Thin QR of A_gᵀ and Δ_gᵀ, then the SVD of the small R₁R₂ᵀ. Best when n_g &lt; min(p, q).</summary>
    Qr,

    /// <summary>Gram blocks K_A = AAᵀ, K_Δ = ΔΔᵀ once per layer and step, then small eigenproblems per group.</summary>
    Gram,

    /// <summary>Form G_g (p×q) and take its singular values. Best when n_g ≥ min(p, q).</summary>
    Direct,

    /// <summary>The reference of the original research code: mask rows, form the full gradient, full SVD.</summary>
    Naive,
}
