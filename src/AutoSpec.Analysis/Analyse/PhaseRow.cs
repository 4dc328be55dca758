namespace AutoSpec.Analyse;

/// <summary>The phase boundaries of one trajectory of one run.</summary>
/// <param name="Run">Run id.</param>
/// <param name="Layer">Layer name.</param>
/// <param name="Quantity">grad, act, delta.</param>
/// <param name="Group">Group name (or "all").</param>
/// <param name="Series">log_sigma1 (ln of the per-sample σ₁) or effective_rank.</param>
/// <param name="Points">Steps in the trajectory.</param>
/// <param name="Boundaries">Steps where a new phase starts, ascending.</param>
public sealed record PhaseRow(string Run, string Layer, string Quantity, string Group, string Series, int Points, IReadOnlyList<long> Boundaries);
