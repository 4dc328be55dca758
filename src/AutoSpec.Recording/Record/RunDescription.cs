namespace AutoSpec.Record;

/// <summary>What a caller's own training loop says it ran, for the manifest of <see cref="RunRecorder.Create"/>.</summary>
public sealed record RunDescription
{
    /// <summary>Run id written with every row (null: the folder's name).</summary>
    public string? RunId { get; init; }

    /// <summary>Seed of the run, written with every row.</summary>
    public int Seed { get; init; }

    /// <summary>Cross-validation fold of the run, written with every row.</summary>
    public int Fold { get; init; }

    /// <summary>Free-form facts for the manifest's <c>description</c>: model, data, optimiser, anything a reader needs.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>Replace an earlier run in the folder (only files a run writes are deleted).</summary>
    public bool Overwrite { get; init; }
}
