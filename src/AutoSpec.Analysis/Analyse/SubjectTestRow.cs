namespace AutoSpec.Analyse;

/// <summary>
/// One subject-level test of the analysis (a row of <c>group_tests</c>): one layer, window of steps, metric and pair
/// of groups, over every run that tested it. n counts subjects: group labels are exchanged among the subjects of the
/// two groups (<see cref="SubjectsA"/> + <see cref="SubjectsB"/>); runs are averaged, not counted as replicates.
/// </summary>
public sealed record SubjectTestRow
{
    /// <summary>Layer name.</summary>
    public required string Layer { get; init; }

    /// <summary>"window" (one window of steps) or "all" (the mean over every window of the run).</summary>
    public string Window { get; init; } = OneWindow;

    /// <summary><see cref="Window"/> of a test of one window of steps.</summary>
    public const string OneWindow = "window";

    /// <summary><see cref="Window"/> of a whole-run test (the mean over every window of the run).</summary>
    public const string WholeRun = "all";

    /// <summary>Epoch of the window's first step.</summary>
    public int Epoch { get; init; }

    /// <summary>First step of the window.</summary>
    public long FirstStep { get; init; }

    /// <summary>Last step of the window.</summary>
    public long LastStep { get; init; }

    /// <summary>Metric of the statistic.</summary>
    public required string Metric { get; init; }

    /// <summary>Reference group.</summary>
    public required string GroupA { get; init; }

    /// <summary>Compared group (statistic = metric(B) − metric(A)).</summary>
    public required string GroupB { get; init; }

    /// <summary>Subjects of A whose labels are exchanged.</summary>
    public int SubjectsA { get; init; }

    /// <summary>Subjects of B whose labels are exchanged.</summary>
    public int SubjectsB { get; init; }

    /// <summary>Runs whose statistics are averaged.</summary>
    public int Runs { get; init; }

    /// <summary>Observed statistic (mean over runs).</summary>
    public double? Statistic { get; init; }

    /// <summary>Mean of the statistic under the relabellings: what random groups of the same sizes show.</summary>
    public double? NullMean { get; init; }

    /// <summary>Standard deviation of the statistic under the relabellings.</summary>
    public double? NullSd { get; init; }

    /// <summary>Statistic − null mean: the difference beyond what the group sizes alone produce.</summary>
    public double? Excess { get; init; }

    /// <summary>Approximate 95% interval of the excess (± 1.96 null SD; the permutation SD as standard error).</summary>
    public double? ExcessLow { get; init; }

    /// <summary>Upper end of the approximate interval.</summary>
    public double? ExcessHigh { get; init; }

    /// <summary>Excess in null standard deviations (the effect size).</summary>
    public double? Z { get; init; }

    /// <summary>Runs whose own excess has the sign of the pooled one (how consistent training seeds/folds are).</summary>
    public int RunsSameSign { get; init; }

    /// <summary>Two-sided permutation p-value.</summary>
    public double? P { get; init; }

    /// <summary>Relabellings evaluated.</summary>
    public int Permutations { get; init; }

    /// <summary>True when every relabelling was enumerated.</summary>
    public bool Exact { get; init; }

    /// <summary>FDR family.</summary>
    public string Family { get; init; } = "all";

    /// <summary>Tests with a p-value in the family.</summary>
    public int FamilySize { get; init; }

    /// <summary>Benjamini–Hochberg adjusted p.</summary>
    public double? PBenjaminiHochberg { get; init; }

    /// <summary>Benjamini–Yekutieli adjusted p.</summary>
    public double? PBenjaminiYekutieli { get; init; }

    /// <summary>Adjusted p of the chosen procedure.</summary>
    public double? PAdjusted { get; init; }

    /// <summary>PAdjusted ≤ alpha.</summary>
    public bool Significant { get; init; }

    /// <summary>What n counts, in words.</summary>
    public string NCounts => $"subjects: labels exchanged among {SubjectsA + SubjectsB} ({SubjectsA} {GroupA}, {SubjectsB} {GroupB})"
        + (Runs > 1 ? $"; statistic averaged over {Runs} runs on these subjects" : "");

    /// <summary>Why there is no p-value, or how the runs were combined.</summary>
    public string? Note { get; init; }
}
