namespace AutoSpec.Analyse;

/// <summary>The permutation test of one pair of groups over one window.</summary>
/// <param name="GroupA">Index of the reference group.</param>
/// <param name="GroupB">Index of the compared group (statistic = metric(B) − metric(A)).</param>
/// <param name="SubjectsA">Subjects of A seen in the window.</param>
/// <param name="SubjectsB">Subjects of B seen in the window.</param>
/// <param name="Result">Statistic, p-value, relabellings, exactness, steps.</param>
public sealed record PairPermutationResult(int GroupA, int GroupB, int SubjectsA, int SubjectsB, PermutationResult Result);
