using System.CommandLine;
using AutoSpec.Data;

namespace AutoSpec.Cli;

/// <summary>
/// The command-line options that describe a <see cref="DataSource"/>, shared by <c>data inspect</c> and (to be wired)
/// <c>run</c>: add them to a command with <see cref="AddTo"/>, read them back with <see cref="Build"/>.
/// </summary>
internal sealed class DataSourceOptions
{
    public Option<string?> Format { get; } = new("--format") { Description = "Data format: auto (default: by extension), csv, tsv, npy, h5, nii." };

    public Option<string?> Label { get; } = new("--label") { Description = "Label column (the class to predict). A column of mostly single-sample values (a measurement or an id) is refused." };

    public Option<string?> Group { get; } = new("--group") { Description = "Group column(s), comma-separated; several give one group per combination (default: the label)." };

    public Option<string?> Subject { get; } = new("--subject") { Description = "Subject id column; a subject's samples stay on one side of every split (default: one subject per row)." };

    public Option<string?> Session { get; } = new("--session") { Description = "Session column: part of the sample key of long tables; allows one subject on several rows of a subject table." };

    public Option<string?> Features { get; } = new("--features") { Description = "Wide tables: feature columns; long tables: pivot values to keep (comma-separated, in this order)." };

    public Option<string?> Exclude { get; } = new("--exclude") { Description = "Wide tables: columns left out of the features (comma-separated), e.g. --exclude age,sex; not with --features." };

    public Option<string?> Missing { get; } = new("--missing") { Description = "Wide tables: codes of missing feature values, comma-separated (e.g. -9999,NA: numbers match by value, other codes as text); empty cells count as missing too. Policy: --missing-policy." };

    public Option<MissingValuePolicy?> MissingPolicy { get; } = new("--missing-policy") { Description = "Wide tables: what to do with a sample with a missing feature value: drop (default) or impute (each run: the feature's mean over its training folds)." };

    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "Field delimiter of the tables: ',', ';' or 'tab' (default: by extension)." };

    public Option<string?> Pivot { get; } = new("--pivot") { Description = "Long tables: column naming each row's feature (e.g. regions); selects the long layout." };

    public Option<string?> Value { get; } = new("--value") { Description = "Long tables: column holding each row's value (e.g. connectivity)." };

    public Option<string?> Subjects { get; } = new("--subjects") { Description = "Array data (.npy, .h5, .nii stack): CSV/TSV subject table; row i describes sample i." };

    public Option<string?> Ids { get; } = new("--ids") { Description = "Array data: text file with one id per line naming sample i; rows of --subjects are matched by --subject." };

    public Option<string?> DatasetPath { get; } = new("--dataset") { Description = "HDF5: path of the array inside the file (e.g. /tc)." };

    public Option<bool> ReverseAxes { get; } = new("--reverse-axes") { Description = "HDF5: reverse the axis order (MATLAB v7.3 .mat files are column-major)." };

    public Option<string?> ImageColumn { get; } = new("--image-column") { Description = "CSV/TSV listing NIfTI images: the column with each sample's file (relative to the table)." };

    public Option<string?> Mask { get; } = new("--mask") { Description = "NIfTI: 3D mask; only non-zero voxels become features." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Format, Label, Group, Subject, Session, Features, Exclude, Missing, MissingPolicy, Delimiter, Pivot, Value, Subjects, Ids, DatasetPath, ReverseAxes, ImageColumn, Mask })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>True when any option that only makes sense with a label was given.</summary>
    public bool AnyGiven(ParseResult p) =>
        new[] { p.GetValue(Label), p.GetValue(Group), p.GetValue(Subject), p.GetValue(Session), p.GetValue(Features), p.GetValue(Exclude), p.GetValue(Missing), p.GetValue(Pivot), p.GetValue(Value),
            p.GetValue(Subjects), p.GetValue(Ids), p.GetValue(DatasetPath), p.GetValue(ImageColumn), p.GetValue(Mask) }.Any(v => v is not null) || p.GetValue(MissingPolicy) is not null;

    /// <summary>The data source for <paramref name="path"/>; --label is required.</summary>
    /// <exception cref="InvalidInputException">A missing --label, or a bad --format or --delimiter.</exception>
    public DataSource Build(ParseResult p, string path) => new()
    {
        Path = path,
        Format = p.GetValue(Format) is { } f ? DatasetLoader.ParseFormat(f) : DataFormat.Auto,
        LabelColumn = p.GetValue(Label) ?? throw new InvalidInputException("--label is required to load data (the column to predict)."),
        GroupColumns = List(p.GetValue(Group)) ?? [],
        SubjectColumn = p.GetValue(Subject),
        SessionColumn = p.GetValue(Session),
        FeatureColumns = List(p.GetValue(Features)),
        ExcludeColumns = List(p.GetValue(Exclude)) ?? [],
        MissingCodes = List(p.GetValue(Missing)) ?? [],
        MissingPolicy = p.GetValue(MissingPolicy),
        Delimiter = p.GetValue(Delimiter) is { } d ? ParseDelimiter(d) : null,
        PivotColumn = p.GetValue(Pivot),
        ValueColumn = p.GetValue(Value),
        SubjectTablePath = p.GetValue(Subjects),
        SampleIdsPath = p.GetValue(Ids),
        DatasetPath = p.GetValue(DatasetPath),
        ReverseAxes = p.GetValue(ReverseAxes),
        PathColumn = p.GetValue(ImageColumn),
        MaskPath = p.GetValue(Mask),
    };

    private static string[]? List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static char ParseDelimiter(string text) => text switch
    {
        "tab" or "\\t" or "\t" => '\t',
        "," or ";" => text[0],
        _ => throw new InvalidInputException($"--delimiter: use ',', ';' or 'tab' (got '{text}')."),
    };
}
