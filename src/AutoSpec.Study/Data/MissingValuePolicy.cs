namespace AutoSpec.Data;

/// <summary>What happens to a sample with a missing feature value (a declared code such as -9999 or NA, or an empty cell).</summary>
public enum MissingValuePolicy
{
    /// <summary>The sample is left out when the table is loaded (and its subject with it when no sample of it is left).</summary>
    Drop,

    /// <summary>
    /// The cell is filled, per run, with the mean of the feature's values in the training samples of that run's fold
    /// (never with validation values); the run's manifest records the means.
    /// </summary>
    Impute,
}
