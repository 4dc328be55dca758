using Parquet;
using Parquet.Schema;

namespace AutoSpec.Record;

/// <summary>One buffered column of an output table: values accumulate in memory until the table is flushed.</summary>
internal abstract class Column
{
    public abstract DataField Field { get; }

    public abstract int Count { get; }

    public abstract Task WriteAsync(ParquetRowGroupWriter writer);

    /// <summary>Appends the values of this column from a row group (used when merging part files).</summary>
    public abstract Task ReadAsync(ParquetRowGroupReader reader, int rows);

    public abstract void Clear();
}

/// <summary>A non-nullable value column (int, long, double, bool).</summary>
internal sealed class ValueColumn<T>(string name) : Column
    where T : struct
{
    private readonly List<T> _values = [];

    public override DataField Field { get; } = new DataField<T>(name);

    public override int Count => _values.Count;

    public void Add(T value) => _values.Add(value);

    public override Task WriteAsync(ParquetRowGroupWriter writer) =>
        writer.WriteAsync<T>(Field, _values.ToArray().AsMemory());

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows)
    {
        var buffer = new T[rows];
        await reader.ReadAsync<T>(Field, buffer.AsMemory());
        _values.AddRange(buffer);
    }

    public override void Clear() => _values.Clear();
}

/// <summary>A nullable value column: null where a value does not exist (e.g. metrics of an absent group).</summary>
internal sealed class NullableColumn<T>(string name) : Column
    where T : struct
{
    private readonly List<T?> _values = [];

    public override DataField Field { get; } = new DataField<T?>(name);

    public override int Count => _values.Count;

    public void Add(T? value) => _values.Add(value);

    public override Task WriteAsync(ParquetRowGroupWriter writer) =>
        writer.WriteAsync<T>(Field, _values.ToArray().AsMemory());

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows)
    {
        var buffer = new T?[rows];
        await reader.ReadAsync<T>(Field, buffer.AsMemory());
        _values.AddRange(buffer);
    }

    public override void Clear() => _values.Clear();
}

/// <summary>A text column (layer and group names, quantities).</summary>
internal sealed class StringColumn(string name) : Column
{
    private readonly List<string> _values = [];

    public override DataField Field { get; } = new DataField<string>(name, false);

    public override int Count => _values.Count;

    public void Add(string value) => _values.Add(value);

    public override Task WriteAsync(ParquetRowGroupWriter writer) => writer.WriteAsync(Field, _values.ToArray());

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows)
    {
        var buffer = new string?[rows];
        await reader.ReadAsync(Field, buffer.AsMemory());
        _values.AddRange(buffer.Select(v => v ?? ""));
    }

    public override void Clear() => _values.Clear();
}
