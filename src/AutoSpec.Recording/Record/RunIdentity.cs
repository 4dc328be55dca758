namespace AutoSpec.Record;

/// <summary>The replicate a run is (the independent unit of group comparisons across runs).</summary>
/// <param name="Run">Run id (folder name unless given).</param>
/// <param name="Fold">Cross-validation fold (0 when there is a single split).</param>
/// <param name="Seed">Random seed.</param>
internal sealed record RunIdentity(string Run, int Fold, int Seed);
