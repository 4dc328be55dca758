namespace AutoSpec.Data;

/// <summary>
/// What a loader did with missing feature values (<see cref="DataSource.MissingCodes"/>,
/// <see cref="DataSource.MissingPolicy"/>): the codes, the policy, the samples dropped or the cells left to impute.
/// Recorded in a run's manifest.
/// </summary>
public sealed record MissingValues
{
    /// <summary>The declared codes, as given (empty cells count as missing as well).</summary>
    public required IReadOnlyList<string> Codes { get; init; }

    /// <summary>Drop the samples, or impute the cells from the training folds.</summary>
    public required MissingValuePolicy Policy { get; init; }

    /// <summary>Samples (rows) left out under <see cref="MissingValuePolicy.Drop"/>.</summary>
    public int DroppedSamples { get; init; }

    /// <summary>Subjects left without any sample by the drop.</summary>
    public int DroppedSubjects { get; init; }

    /// <summary>Missing cells per feature (features with none are not listed), in the rows dropped or kept.</summary>
    public IReadOnlyDictionary<string, int> ByFeature { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// <see cref="MissingValuePolicy.Impute"/>: flat indices (sample × feature count + feature), ascending, of the
    /// cells to fill; their values are NaN until <see cref="Training.MissingValueImputer"/> fills them.
    /// </summary>
    public IReadOnlyList<long> Cells { get; init; } = [];
}
