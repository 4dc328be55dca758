namespace AutoSpec.Data;

/// <summary>
/// Everything <see cref="DatasetLoader.Load"/> needs to turn user files into a <see cref="Dataset"/>: the data file,
/// its format, and which columns of which table hold the label, the group variables and the subject ids. Column
/// names are matched exactly (case-sensitive). The layouts are described in docs/DATA.md.
/// </summary>
public sealed record DataSource
{
    /// <summary>
    /// The data file: a CSV/TSV table (wide, long, or a list of images), a .npy array, an HDF5 file or a NIfTI image.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>File format; <see cref="DataFormat.Auto"/> (default) decides by extension.</summary>
    public DataFormat Format { get; init; } = DataFormat.Auto;

    /// <summary>Column holding the class label (any text; numeric labels are ordered numerically, others by text).</summary>
    public required string LabelColumn { get; init; }

    /// <summary>
    /// Columns whose values define the groups (diagnosis, site, sex, …). Several columns give one group per
    /// combination, written as the values joined by '/' (e.g. "p/F"). Empty (default): the groups are the labels.
    /// </summary>
    public IReadOnlyList<string> GroupColumns { get; init; } = [];

    /// <summary>
    /// Column holding the subject id. Samples of one subject (sessions, runs, windows) stay on one side of every
    /// split. Null: every row is its own subject, named "row-N" after its 1-based line number.
    /// </summary>
    public string? SubjectColumn { get; init; }

    /// <summary>
    /// Column telling apart the samples of one subject (e.g. "session"). In a long table it is part of the sample key
    /// (subject, session); in a subject table it allows one subject on several rows, the pair being unique.
    /// Without it, each subject id may appear on one row of a subject table only.
    /// </summary>
    public string? SessionColumn { get; init; }

    /// <summary>
    /// Wide tables: the feature columns, in this order. Null: every column that is not the label, a group, the
    /// subject or one of <see cref="ExcludeColumns"/>. Long tables: the pivot values to keep.
    /// </summary>
    public IReadOnlyList<string>? FeatureColumns { get; init; }

    /// <summary>
    /// Wide tables: columns left out of the default features (e.g. age, sex), so that a table of hundreds of
    /// features with a few extra columns needs no list of every feature. Each must exist and be neither the label,
    /// a group nor the subject column; not together with <see cref="FeatureColumns"/>.
    /// </summary>
    public IReadOnlyList<string> ExcludeColumns { get; init; } = [];

    /// <summary>
    /// Wide tables: codes that mark a missing feature value, such as "-9999", "999" or "NA". A code that is a number
    /// matches cells of equal value ("-9999.0" too), any other matches the same text exactly. With codes or a
    /// <see cref="MissingPolicy"/>, empty feature cells are missing as well; without either they are errors.
    /// </summary>
    public IReadOnlyList<string> MissingCodes { get; init; } = [];

    /// <summary>
    /// Wide tables: what to do with a sample that has a missing feature value: drop it (default when codes are
    /// given) or impute it from the training folds of each run. Null with no codes: no missing values allowed.
    /// </summary>
    public MissingValuePolicy? MissingPolicy { get; init; }

    /// <summary>Field separator of the tables (',', '\t' or ';'). Null: by extension (.tsv/.tab: tab), else comma.</summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// Long tables: the column naming the feature of each row (e.g. "regions"). Setting it selects the long layout:
    /// one row per sample × feature, pivoted to one sample per (subject, session).
    /// </summary>
    public string? PivotColumn { get; init; }

    /// <summary>Long tables: the column holding the value of each row (e.g. "connectivity").</summary>
    public string? ValueColumn { get; init; }

    /// <summary>
    /// Array files (.npy, HDF5, NIfTI stack): the CSV/TSV subject table with the label, group and subject columns.
    /// Row i describes sample i of the array, unless <see cref="SampleIdsPath"/> is given.
    /// </summary>
    public string? SubjectTablePath { get; init; }

    /// <summary>
    /// Array files: a text file with one id per line, line i naming sample i of the array (as GIFT and NeuroMark
    /// keep them beside their outputs). Subject-table rows are then matched to samples by
    /// <see cref="SubjectColumn"/> (and <see cref="SessionColumn"/>, written "subject/session" in the ids file).
    /// Every sample needs a row and every row a sample.
    /// </summary>
    public string? SampleIdsPath { get; init; }

    /// <summary>HDF5: path of the dataset inside the file (e.g. "/tc" or "group/timecourses").</summary>
    public string? DatasetPath { get; init; }

    /// <summary>
    /// HDF5: reverse the axis order after reading. MATLAB v7.3 .mat files store arrays column-major, so a
    /// subjects × components × time array there reads as time × components × subjects without this.
    /// </summary>
    public bool ReverseAxes { get; init; }

    /// <summary>
    /// CSV/TSV lists of images: the column holding each sample's NIfTI file (absolute, or relative to the table's
    /// folder). Setting it selects the image-list layout.
    /// </summary>
    public string? PathColumn { get; init; }

    /// <summary>
    /// NIfTI: a 3D mask image of the same grid; only voxels where it is non-zero become features (a volume then
    /// becomes a vector of in-mask voxels, or voxels × time points for 4D images).
    /// </summary>
    public string? MaskPath { get; init; }
}
