namespace AutoSpec.Analyse;

/// <summary>Whether a test produced a usable p-value, and if not, why.</summary>
public enum TestStatus
{
    /// <summary>The test ran; its statistic and p-value are meaningful.</summary>
    Ok,

    /// <summary>Too few replicates for this test (e.g. fewer than 2 paired runs); no p-value is reported.</summary>
    TooFewReplicates,

    /// <summary>The data do not vary (all differences zero, or zero variance); no p-value is reported.</summary>
    NoVariation,
}
