namespace AutoSpec.Data;

/// <summary>
/// A delimited text file read as text cells: the header names and every data row with its 1-based line number.
/// Long tables and subject tables are small next to the arrays they describe, so holding them whole is fine and
/// lets the loaders report any problem with the exact line.
/// </summary>
internal sealed class TextTable
{
    private readonly Dictionary<string, int> _columnOf;

    private TextTable(string path, string[] header, List<string[]> rows, List<int> lines)
    {
        Path = path;
        Header = header;
        Rows = rows;
        Lines = lines;
        _columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].Length > 0)
            {
                _columnOf.TryAdd(header[c], c);
            }
        }
    }

    /// <summary>The file as given by the user (messages name it so).</summary>
    public string Path { get; }

    /// <summary>Column names from the header line.</summary>
    public string[] Header { get; }

    /// <summary>Data rows; each has exactly <see cref="Header"/>.Length cells.</summary>
    public List<string[]> Rows { get; }

    /// <summary>1-based line number where each row starts.</summary>
    public List<int> Lines { get; }

    /// <summary>
    /// Reads <paramref name="path"/> (CSV, TSV or ';'-separated; gzip allowed) with the quoting rules of
    /// <see cref="DelimitedTableLoader"/>. Delimiter null: by extension and header, as there.
    /// </summary>
    /// <exception cref="InvalidInputException">Unreadable file, no header, a repeated column name, or a row whose
    /// field count differs from the header's.</exception>
    public static TextTable Read(string path, char? delimiter)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidInputException("no table file given.");
        }
        return DelimitedTableLoader.ReadText(path, text =>
        {
            var records = new DelimitedTableLoader.RecordReader(text, path);
            records.Delimiter = delimiter ?? DelimitedTableLoader.DefaultDelimiter(path, records.PeekFirstLine());
            var header = records.Next() ?? throw new InvalidInputException($"{path}: file is empty (no header line).");
            var headerLine = records.RecordLine;
            var names = header.Select(f => f.Text).ToArray();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var c = 0; c < names.Length; c++)
            {
                if (names[c].Length > 0 && !seen.TryAdd(names[c], c))
                {
                    throw new InvalidInputException(
                        $"{path}: line {headerLine}: column name {Show(names[c])} appears twice (columns {seen[names[c]] + 1} and {c + 1}).");
                }
            }
            var rows = new List<string[]>();
            var lines = new List<int>();
            while (records.Next() is { } row)
            {
                if (row.Count != names.Length)
                {
                    throw new InvalidInputException(
                        $"{path}: line {records.RecordLine}: {row.Count} fields, but the header has {names.Length} columns.");
                }
                rows.Add(row.Select(f => f.Text).ToArray());
                lines.Add(records.RecordLine);
            }
            if (rows.Count == 0)
            {
                throw new InvalidInputException($"{path}: has a header but no data rows.");
            }
            return new TextTable(path, names, rows, lines);
        });
    }

    /// <summary>Index of the column called <paramref name="name"/>; a precise error listing the columns otherwise.</summary>
    /// <param name="name">Exact (case-sensitive) column name.</param>
    /// <param name="role">What the column is for ("label", "subject", …), for the message.</param>
    /// <param name="option">The option that named it, for the message.</param>
    public int Column(string name, string role, string option) =>
        _columnOf.TryGetValue(name, out var index)
            ? index
            : throw DelimitedTableLoader.NotFound(Path, Header, name, role, option);

    /// <summary>
    /// The non-empty cell of <paramref name="column"/> in row <paramref name="row"/>; an empty cell is an error
    /// naming the line and column.
    /// </summary>
    public string Required(int row, int column, string what)
    {
        var text = Rows[row][column];
        if (text.Length == 0)
        {
            throw new InvalidInputException(
                $"{Path}: line {Lines[row]}, column {Show(Header[column])}: the {what} is empty.");
        }
        return text;
    }

    /// <summary>Quotes a value for a one-line message (same rules as the wide-table loader).</summary>
    public static string Show(string value) => DelimitedTableLoader.Show(value);
}
