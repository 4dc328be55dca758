namespace AutoSpec.Data;

/// <summary>
/// What <see cref="DelimitedTableLoader.Load"/> reads: a wide CSV/TSV file with one row per subject and a header
/// line naming the columns. Column names are matched exactly (case-sensitive).
/// </summary>
public sealed record DelimitedTableOptions
{
    /// <summary>The file: .csv, .tsv, .tab or .txt, optionally gzip-compressed (e.g. data.csv.gz).</summary>
    public required string Path { get; init; }

    /// <summary>Column holding the class label (any text; see <see cref="DelimitedTableLoader"/> for the class order).</summary>
    public required string LabelColumn { get; init; }

    /// <summary>Column holding the group value (site, sex, …) of every row.</summary>
    public required string GroupColumn { get; init; }

    /// <summary>
    /// Further group columns: a row's group is then the values of <see cref="GroupColumn"/> and these joined by '/'
    /// (e.g. "p/F"). None of them is a feature. Empty (default): the group is <see cref="GroupColumn"/>'s value.
    /// </summary>
    public IReadOnlyList<string> AdditionalGroupColumns { get; init; } = [];

    /// <summary>
    /// Feature columns, in this order. Null: every other column except the label, group and subject columns, the
    /// <see cref="ExcludeColumns"/> and columns without a header name, in file order.
    /// </summary>
    public IReadOnlyList<string>? FeatureColumns { get; init; }

    /// <summary>
    /// Columns left out of the default features (age, sex, a second label …), so that a wide table's few extra
    /// columns need not be answered by listing hundreds of features. Each must exist and not be the label, a group
    /// or the subject column; not together with <see cref="FeatureColumns"/>.
    /// </summary>
    public IReadOnlyList<string> ExcludeColumns { get; init; } = [];

    /// <summary>Codes of missing feature values (see <see cref="DataSource.MissingCodes"/>).</summary>
    public IReadOnlyList<string> MissingCodes { get; init; } = [];

    /// <summary>Drop or impute samples with missing feature values (see <see cref="DataSource.MissingPolicy"/>).</summary>
    public MissingValuePolicy? MissingPolicy { get; init; }

    /// <summary>Column holding the subject id. Null: ids are "row-N" with N the 1-based line number of the row.</summary>
    public string? SubjectColumn { get; init; }

    /// <summary>
    /// Field separator: ',', '\t' or ';'. Null: tab for .tsv/.tab files (also when gzipped), otherwise comma, or
    /// semicolon when the header line contains ';' but no ','.
    /// </summary>
    public char? Delimiter { get; init; }
}
