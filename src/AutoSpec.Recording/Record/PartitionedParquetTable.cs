using AutoSpec.Files;
using Parquet;
using Parquet.Schema;

namespace AutoSpec.Record;

/// <summary>
/// An output table written while training runs. Buffered rows are flushed as complete Parquet files
/// <c>parts/NAME-00001.parquet</c>, … (each written under a temporary name, then renamed), so a killed run leaves every
/// flushed row readable. <see cref="MergeAsync"/> merges the parts, in order, into <c>NAME.parquet</c> (one row
/// group per part) and <see cref="DeleteParts"/> removes them. A resumed run keeps the parts its checkpoint counted and discards later ones
/// (<see cref="Restore"/>).
/// </summary>
internal sealed class PartitionedParquetTable
{
    private readonly string _runDirectory;
    private readonly IReadOnlyList<Column> _columns;
    private readonly ParquetSchema _schema;
    private int _parts;

    public PartitionedParquetTable(string runDirectory, string name, IReadOnlyList<Column> columns)
    {
        _runDirectory = runDirectory;
        Name = name;
        _columns = columns;
        _schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
    }

    public string Name { get; }

    /// <summary>The columns, in file order (the flush benchmark times their encoding).</summary>
    internal IReadOnlyList<Column> Columns => _columns;

    /// <summary>The Parquet schema of the columns.</summary>
    internal ParquetSchema Schema => _schema;

    /// <summary>Rows buffered and not yet flushed.</summary>
    public int BufferedRows => _columns[0].Count;

    /// <summary>Rows written to part files so far.</summary>
    public long FlushedRows { get; private set; }

    /// <summary>Part files written so far.</summary>
    public int Parts => _parts;

    private string PartsDirectory => Path.Combine(_runDirectory, RunTable.PartsFolder);

    private string PartPath(int index) => Path.Combine(PartsDirectory, $"{Name}-{index:D5}.parquet");

    /// <summary>Writes the buffered rows as the next part file.</summary>
    public async Task FlushAsync()
    {
        int rows = BufferedRows;
        if (rows == 0)
        {
            return;
        }
        if (_columns.Any(c => c.Count != rows))
        {
            throw new InvalidOperationException($"table {Name}: columns have different lengths");
        }
        Directory.CreateDirectory(PartsDirectory);
        await AtomicFile.WriteAsync(PartPath(_parts + 1), WriteRowGroupAsync);
        _parts++;
        FlushedRows += rows;
        foreach (var c in _columns)
        {
            c.Clear();
        }
    }

    /// <summary>Writes the buffered rows as one Parquet file (one row group) into <paramref name="stream"/>.</summary>
    internal async Task WriteRowGroupAsync(Stream stream)
    {
        await using var writer = await ParquetWriter.CreateAsync(_schema, stream);
        writer.CustomMetadata = ParquetMetadata.For(Name);
        using var group = writer.CreateRowGroup();
        foreach (var c in _columns)
        {
            await c.WriteAsync(group);
        }
    }

    /// <summary>
    /// Continues after <paramref name="parts"/> part files holding <paramref name="rows"/> rows (a checkpoint's count):
    /// later parts, and temporary files of an interrupted write, are deleted so that no row is written twice.
    /// </summary>
    /// <exception cref="InvalidInputException">A part the checkpoint counts is missing.</exception>
    public void Restore(int parts, long rows)
    {
        for (int i = 1; i <= parts; i++)
        {
            if (!File.Exists(PartPath(i)))
            {
                throw new InvalidInputException(
                    $"cannot resume: part file '{PartPath(i)}' that the checkpoint counts is missing; start over with --overwrite.");
            }
        }
        if (Directory.Exists(PartsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(PartsDirectory, Name + "-*"))
            {
                var stem = Path.GetFileName(file)[(Name.Length + 1)..];
                bool counted = stem.Length == 13 && stem.EndsWith(".parquet", StringComparison.Ordinal)
                    && int.TryParse(stem[..5], out int index) && index <= parts;
                if (!counted)
                {
                    File.Delete(file);
                }
            }
        }
        // A merged table of an interrupted completion would be stale.
        File.Delete(Path.Combine(_runDirectory, Name + ".parquet"));
        _parts = parts;
        FlushedRows = rows;
        foreach (var c in _columns)
        {
            c.Clear();
        }
    }

    /// <summary>Flushes, then merges every part into NAME.parquet (the parts stay until <see cref="DeleteParts"/>).</summary>
    public async Task MergeAsync()
    {
        await FlushAsync();
        var final = Path.Combine(_runDirectory, Name + ".parquet");
        await AtomicFile.WriteAsync(final, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(_schema, stream);
            writer.CustomMetadata = ParquetMetadata.For(Name);
            for (int i = 1; i <= _parts; i++)
            {
                await using (var part = File.OpenRead(PartPath(i)))
                await using (var reader = await ParquetReader.CreateAsync(part))
                {
                    for (int g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var rowGroup = reader.OpenRowGroupReader(g);
                        foreach (var c in _columns)
                        {
                            await c.ReadAsync(rowGroup, (int)rowGroup.RowCount);
                        }
                    }
                }
                using var group = writer.CreateRowGroup();
                foreach (var c in _columns)
                {
                    await c.WriteAsync(group);
                    c.Clear();
                }
            }
        });
    }

    /// <summary>Deletes the part files (and the parts folder once empty) after every table is merged.</summary>
    public void DeleteParts()
    {
        for (int i = 1; i <= _parts; i++)
        {
            File.Delete(PartPath(i));
        }
        if (Directory.Exists(PartsDirectory) && !Directory.EnumerateFileSystemEntries(PartsDirectory).Any())
        {
            Directory.Delete(PartsDirectory);
        }
    }
}
