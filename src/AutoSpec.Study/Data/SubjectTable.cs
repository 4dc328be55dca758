namespace AutoSpec.Data;

/// <summary>
/// The per-sample annotations of array and image data: a CSV/TSV table with a label column, group columns, an
/// optional subject id column and an optional session column (and, for image lists, a path column). Column roles
/// come from a <see cref="DataSource"/>.
/// </summary>
internal sealed class SubjectTable
{
    private readonly int _label;
    private readonly int[] _groups;
    private readonly int? _subject;
    private readonly int? _session;

    private SubjectTable(TextTable table, DataSource source)
    {
        Table = table;
        _label = table.Column(source.LabelColumn, "label", nameof(source.LabelColumn));
        _groups = source.GroupColumns.Select(g => table.Column(g, "group", nameof(source.GroupColumns))).ToArray();
        _subject = source.SubjectColumn is { } s ? table.Column(s, "subject", nameof(source.SubjectColumn)) : null;
        _session = source.SessionColumn is { } x ? table.Column(x, "session", nameof(source.SessionColumn)) : null;
        if (_session is not null && _subject is null)
        {
            throw new InvalidInputException($"{table.Path}: --session needs --subject (sessions belong to a subject).");
        }
    }

    /// <summary>The text of the table.</summary>
    public TextTable Table { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Table.Rows.Count;

    /// <summary>Reads the table and checks that the named columns exist.</summary>
    public static SubjectTable Read(string path, DataSource source) => new(TextTable.Read(path, source.Delimiter), source);

    /// <summary>Column roles of <paramref name="source"/> over an already read table (e.g. a long table).</summary>
    public static SubjectTable Over(TextTable table, DataSource source) => new(table, source);

    /// <summary>Label text of row <paramref name="row"/> (non-empty).</summary>
    public string Label(int row) => Table.Required(row, _label, "label");

    /// <summary>Group of row <paramref name="row"/>: the group columns' values joined by '/', or the label without group columns.</summary>
    public string Group(int row) => _groups.Length == 0
        ? Label(row)
        : string.Join('/', _groups.Select(c => Table.Required(row, c, "group")));

    /// <summary>Subject id of row <paramref name="row"/>, or "row-N" (N = its line) without a subject column.</summary>
    public string Subject(int row) => _subject is { } c
        ? Table.Required(row, c, "subject id")
        : "row-" + Table.Lines[row].ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Session of row <paramref name="row"/>, or null without a session column.</summary>
    public string? Session(int row) => _session is { } c ? Table.Required(row, c, "session") : null;

    /// <summary>The row's sample key: "subject" or "subject/session".</summary>
    public string Key(int row) => Session(row) is { } s ? Subject(row) + "/" + s : Subject(row);

    /// <summary>"subject 'x'" or "subject 'x' session 'y'", for messages.</summary>
    public string Describe(int row) => Session(row) is { } s
        ? $"subject {TextTable.Show(Subject(row))} session {TextTable.Show(s)}"
        : $"subject {TextTable.Show(Subject(row))}";

    /// <summary>
    /// Row index by sample key; a key on two rows is an error naming both lines (a subject listed twice would be
    /// counted twice, or its two rows would be matched to the same data).
    /// </summary>
    public Dictionary<string, int> RowsByKey()
    {
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < Count; r++)
        {
            if (!byKey.TryAdd(Key(r), r))
            {
                var what = _session is null
                    ? $"subject id {TextTable.Show(Subject(r))}"
                    : $"subject {TextTable.Show(Subject(r))} with session {TextTable.Show(Session(r)!)}";
                var hint = _session is null ? " (several samples per subject need SessionColumn)" : "";
                throw new InvalidInputException(
                    $"{Table.Path}: duplicate {what} on lines {Table.Lines[byKey[Key(r)]]} and {Table.Lines[r]}{hint}.");
            }
        }
        return byKey;
    }

    /// <summary>The annotations of the given rows, in that order, for <see cref="DatasetAssembler"/>.</summary>
    public SampleAnnotations Annotations(IReadOnlyList<int> rows)
    {
        var a = new SampleAnnotations(Table.Path, Table.Header[_label]);
        foreach (var r in rows)
        {
            a.Add(Label(r), Group(r), Subject(r), Describe(r));
        }
        return a;
    }
}
