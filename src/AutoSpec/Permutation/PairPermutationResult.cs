namespace AutoSpec.Permutation;

/// <summary>The permutation test of one pair of groups over one window.</summary>
/// <param name="GroupA">Index of the reference group.</param>
/// <param name="GroupB">Index of the compared group (statistic = metric(B) − metric(A)).</param>
/// <param name="SubjectsA">Subjects of A seen in the window.</param>
/// <param name="SubjectsB">Subjects of B seen in the window.</param>
/// <param name="UniverseA">Subjects of A whose labels the relabellings exchange (the data set's, not only the window's).</param>
/// <param name="UniverseB">Subjects of B whose labels the relabellings exchange.</param>
/// <param name="Result">Statistic, p-value, null distribution, relabellings, exactness, steps.</param>
public sealed record PairPermutationResult(int GroupA, int GroupB, int SubjectsA, int SubjectsB, int UniverseA, int UniverseB,
    PermutationResult Result);
