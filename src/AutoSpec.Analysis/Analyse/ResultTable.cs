using System.Globalization;
using System.Text;
using AutoSpec.Files;
using Parquet;
using Parquet.Schema;

namespace AutoSpec.Analyse;

/// <summary>
/// A result table built column by column and written as Parquet (Parquet.Net) and CSV. Text, integer, number and
/// flag columns, all nullable.
/// </summary>
/// <remarks>
/// The CSV writer is by hand (RFC 4180 quoting, invariant culture, empty field for null, round-trip doubles): a few
/// lines, not worth a dependency.
/// </remarks>
internal sealed class ResultTable(string name)
{
    private readonly List<(DataField Field, Array Values)> _columns = [];

    /// <summary>Table name, used as the file name.</summary>
    public string Name { get; } = name;

    /// <summary>Number of rows (0 before any column is added).</summary>
    public int Rows => _columns.Count == 0 ? 0 : _columns[0].Values.Length;

    /// <summary>Column names in order.</summary>
    public IEnumerable<string> ColumnNames => _columns.Select(c => c.Field.Name);

    /// <summary>Adds a text column.</summary>
    public ResultTable Text(string column, IEnumerable<string?> values) => Add(new DataField<string>(column, true), values.ToArray());

    /// <summary>Adds an integer column.</summary>
    public ResultTable Integer(string column, IEnumerable<int?> values) => Add(new DataField<int?>(column), values.ToArray());

    /// <summary>Adds a floating-point column (non-finite values become null).</summary>
    public ResultTable Number(string column, IEnumerable<double?> values) =>
        Add(new DataField<double?>(column), values.Select(v => v is double d && double.IsFinite(d) ? v : null).ToArray());

    /// <summary>Adds a true/false column.</summary>
    public ResultTable Flag(string column, IEnumerable<bool?> values) => Add(new DataField<bool?>(column), values.ToArray());

    private ResultTable Add(DataField field, Array values)
    {
        if (_columns.Count > 0 && values.Length != Rows)
        {
            throw new InvalidOperationException($"{Name}.{field.Name}: {values.Length} values, table has {Rows} rows");
        }
        _columns.Add((field, values));
        return this;
    }

    /// <summary>Writes NAME.parquet and NAME.csv into <paramref name="directory"/>.</summary>
    public async Task WriteAsync(string directory)
    {
        await Files.AtomicFile.WriteAsync(Path.Combine(directory, Name + ".parquet"), WriteParquetAsync);
        Files.AtomicFile.WriteAllText(Path.Combine(directory, Name + ".csv"), ToCsv());
    }

    private async Task WriteParquetAsync(Stream stream)
    {
        var schema = new ParquetSchema(_columns.Select(c => (Field)c.Field).ToArray());
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        writer.CustomMetadata = Record.ParquetMetadata.For(Name);
        using var group = writer.CreateRowGroup();
        foreach (var (field, values) in _columns)
        {
            switch (values)
            {
                case string?[] s:
                    await group.WriteAsync(field, s);
                    break;
                case int?[] i:
                    await group.WriteAsync<int>(field, i.AsMemory());
                    break;
                case double?[] d:
                    await group.WriteAsync<double>(field, d.AsMemory());
                    break;
                case bool?[] b:
                    await group.WriteAsync<bool>(field, b.AsMemory());
                    break;
            }
        }
    }

    /// <summary>The table as CSV text with a header line.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', _columns.Select(c => Quote(c.Field.Name))).Append('\n');
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < _columns.Count; c++)
            {
                if (c > 0)
                {
                    text.Append(',');
                }
                text.Append(Format(_columns[c].Values.GetValue(r)));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Cell value as text (invariant culture; null as empty).</summary>
    public string? Cell(int row, string column)
    {
        var values = _columns.First(c => c.Field.Name == column).Values;
        return values.GetValue(row) switch
        {
            null => null,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var o => o.ToString(),
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => Quote(s),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
