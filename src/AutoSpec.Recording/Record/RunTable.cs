namespace AutoSpec.Record;

/// <summary>
/// The tables a run folder holds, by name: <c>NAME.parquet</c> once the run is complete, <c>parts/NAME-00001.parquet</c>, …
/// while it runs. The writers, <c>--overwrite</c>'s list of run files, <c>analyze</c> and <c>query</c>/<c>export</c>
/// all take the names from here. Their columns: <see cref="RunColumns"/>.
/// </summary>
public static class RunTable
{
    /// <summary><c>spectra.parquet</c>: one row per singular value.</summary>
    public const string Spectra = "spectra";

    /// <summary><c>metrics.parquet</c>: one row per run, step, layer, group and quantity with the spectrum's summaries.</summary>
    public const string Metrics = "metrics";

    /// <summary><c>curves.parquet</c>: loss, accuracy and AUC per step and per epoch.</summary>
    public const string Curves = "curves";

    /// <summary><c>permutations.parquet</c>: the permutation tests computed during training.</summary>
    public const string Permutations = "permutations";

    /// <summary><c>permutation_null.parquet</c>: the statistic of every test under each relabelling.</summary>
    public const string PermutationNull = "permutation_null";

    /// <summary>Subfolder of a run folder holding the part files of the tables while the run is unfinished.</summary>
    public const string PartsFolder = "parts";

    /// <summary>Every table, in the order they are listed (README, <c>query</c>, <c>export</c>).</summary>
    public static IReadOnlyList<string> All { get; } = [Spectra, Metrics, Curves, Permutations, PermutationNull];

    /// <summary>
    /// The files holding a table's rows: NAME.parquet, or for a run that did not finish, its flushed parts in order;
    /// none when the run has no rows of it.
    /// </summary>
    public static List<string> Files(string runDirectory, string table)
    {
        var final = Path.Combine(runDirectory, table + ".parquet");
        if (File.Exists(final))
        {
            return [final];
        }
        var parts = Path.Combine(runDirectory, PartsFolder);
        return Directory.Exists(parts) ? [.. Directory.GetFiles(parts, table + "-*.parquet").Order(StringComparer.Ordinal)] : [];
    }
}
