namespace AutoSpec.Analyse;

/// <summary>The epoch values, the tests and the notes of one group comparison.</summary>
/// <param name="Options">The options used.</param>
/// <param name="Groups">Groups compared, in order.</param>
/// <param name="EpochValues">Every per-run epoch value that entered a test.</param>
/// <param name="Tests">One row per layer × quantity × metric × epoch × pair.</param>
/// <param name="Notes">Plain-words remarks (e.g. metrics absent from the runs).</param>
public sealed record GroupComparisonResult(
    GroupComparisonOptions Options,
    IReadOnlyList<string> Groups,
    IReadOnlyList<EpochValue> EpochValues,
    IReadOnlyList<GroupTestRow> Tests,
    IReadOnlyList<string> Notes);
