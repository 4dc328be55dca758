namespace AutoSpec.Record;

/// <summary>
/// The column names of the run folder's tables (<see cref="RunTable"/>), declared once: the writers
/// (<see cref="SpectraTable"/>, <see cref="MetricsTable"/>, <see cref="CurvesTable"/>, <see cref="PermutationsTable"/>,
/// <see cref="PermutationNullTable"/>) name their columns with these and the readers (<c>analyze</c>, <c>report</c>) look
/// them up with the same constants, so a renamed column cannot leave a reader behind. A name shared by several
/// tables (<see cref="Run"/>, <see cref="Layer"/>, …) is one constant: it means the same thing in each. The metric
/// columns of metrics.parquet come from <see cref="AutoSpec.Spectra.SpectralMetrics.Columns"/>. Which table has which column,
/// in which order: the README ("What it records").
/// </summary>
public static class RunColumns
{
    /// <summary>Run id (every table).</summary>
    public const string Run = "run";

    /// <summary>Cross-validation fold of the run.</summary>
    public const string Fold = "fold";

    /// <summary>Seed of the run.</summary>
    public const string Seed = "seed";

    /// <summary>0-based epoch.</summary>
    public const string Epoch = "epoch";

    /// <summary>0-based optimiser step.</summary>
    public const string Step = "step";

    /// <summary>Layer name.</summary>
    public const string Layer = "layer";

    /// <summary>Kind of layer ("linear", "conv2d", …).</summary>
    public const string LayerKind = "layer_kind";

    /// <summary>Group name (<c>all</c> for the whole batch).</summary>
    public const string Group = "group";

    /// <summary>Samples of the group in the step's batch (nullable).</summary>
    public const string GroupSize = "group_size";

    /// <summary>Rows of the group's factors (samples × time steps or positions; nullable).</summary>
    public const string GroupRows = "group_rows";

    /// <summary>grad, act, delta or weight.</summary>
    public const string Quantity = "quantity";

    /// <summary>Method that computed the spectrum (qr, gram, direct, naive).</summary>
    public const string Route = "route";

    /// <summary>spectra: 1-based index of the singular value.</summary>
    public const string K = "k";

    /// <summary>spectra: the singular value.</summary>
    public const string Sigma = "sigma";

    /// <summary>metrics: whether the group had samples in the step's batch (false: null metrics, never zeros).</summary>
    public const string Present = "present";

    /// <summary>metrics: number of singular values summarised (nullable).</summary>
    public const string SigmaCount = "n_sigma";

    /// <summary>curves: train_step (the step's mini-batch), train or validation (the whole split at an epoch's end).</summary>
    public const string Split = "split";

    /// <summary>curves: samples evaluated.</summary>
    public const string Samples = "samples";

    /// <summary>curves: mean loss.</summary>
    public const string Loss = "loss";

    /// <summary>curves: accuracy.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>curves: ROC AUC (nullable: null when the split has a single class).</summary>
    public const string Auc = "auc";

    /// <summary>permutations, permutation_null: first step of the window tested.</summary>
    public const string FirstStep = "first_step";

    /// <summary>permutations, permutation_null: last step of the window tested (inclusive).</summary>
    public const string LastStep = "last_step";

    /// <summary>permutations, permutation_null: the metric tested.</summary>
    public const string Metric = "metric";

    /// <summary>permutations, permutation_null: first group of the pair (differences are b − a).</summary>
    public const string GroupA = "group_a";

    /// <summary>permutations, permutation_null: second group of the pair.</summary>
    public const string GroupB = "group_b";

    /// <summary>permutations: subjects of group a in the window.</summary>
    public const string SubjectsA = "subjects_a";

    /// <summary>permutations: subjects of group b in the window.</summary>
    public const string SubjectsB = "subjects_b";

    /// <summary>permutations: subjects of group a in the whole data set (those relabelled).</summary>
    public const string UniverseA = "universe_a";

    /// <summary>permutations: subjects of group b in the whole data set.</summary>
    public const string UniverseB = "universe_b";

    /// <summary>permutations: steps of the window where both groups were in the batch.</summary>
    public const string Steps = "steps";

    /// <summary>permutations: the test's statistic (nullable); permutation_null: the statistic under one relabelling.</summary>
    public const string Statistic = "statistic";

    /// <summary>permutations: mean of the statistic under the relabellings (nullable).</summary>
    public const string NullMean = "null_mean";

    /// <summary>permutations: standard deviation of the statistic under the relabellings (nullable).</summary>
    public const string NullSd = "null_sd";

    /// <summary>permutations: statistic − null mean (nullable).</summary>
    public const string Excess = "excess";

    /// <summary>permutations: excess / null SD (nullable).</summary>
    public const string Z = "z";

    /// <summary>permutations: two-sided p-value about the null's centre (nullable).</summary>
    public const string P = "p";

    /// <summary>permutations: relabellings evaluated.</summary>
    public const string Permutations = "permutations";

    /// <summary>permutations: whether every relabelling was enumerated.</summary>
    public const string Exact = "exact";

    /// <summary>permutations: seed the relabellings were drawn with.</summary>
    public const string RelabellingSeed = "relabelling_seed";

    /// <summary>permutations: whether the relabellings are the run's shared ones (what lets runs be averaged).</summary>
    public const string SharedRelabellings = "shared_relabellings";

    /// <summary>permutations: why a pair could not be tested ("" when there is nothing to say).</summary>
    public const string Note = "note";

    /// <summary>permutation_null: 0-based index of the relabelling in the run's shared order.</summary>
    public const string Permutation = "permutation";
}
