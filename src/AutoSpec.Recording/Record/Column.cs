using System.Runtime.CompilerServices;
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

/// <summary>
/// The values of a column, in an array that grows and is kept from one flush to the next: Parquet.Net takes them as a
/// <see cref="ReadOnlyMemory{T}"/> of the array itself, so a flush copies nothing and a run's later flushes allocate
/// no buffer (a <see cref="List{T}"/> would need a copy, <c>ToArray</c>, per column and flush).
/// </summary>
internal sealed class ColumnBuffer<T>
{
    private T[] _items = [];

    public int Count { get; private set; }

    public ReadOnlyMemory<T> Values => _items.AsMemory(0, Count);

    public void Add(T value)
    {
        if (Count == _items.Length)
        {
            Grow(Count + 1);
        }
        _items[Count++] = value;
    }

    /// <summary>Room for <paramref name="count"/> more values, to be filled through the memory returned.</summary>
    public Memory<T> Append(int count)
    {
        if (Count + count > _items.Length)
        {
            Grow(Count + count);
        }
        var room = _items.AsMemory(Count, count);
        Count += count;
        return room;
    }

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Strings of a flushed part are not kept alive until the slot is overwritten.
            Array.Clear(_items, 0, Count);
        }
        Count = 0;
    }

    private void Grow(int needed) => Array.Resize(ref _items, Math.Max(needed, Math.Max(1024, _items.Length * 2)));
}

/// <summary>A non-nullable value column (int, long, double, bool).</summary>
internal sealed class ValueColumn<T>(string name) : Column
    where T : struct
{
    private readonly ColumnBuffer<T> _values = new();

    public override DataField Field { get; } = new DataField<T>(name);

    public override int Count => _values.Count;

    public void Add(T value) => _values.Add(value);

    public override Task WriteAsync(ParquetRowGroupWriter writer) => writer.WriteAsync<T>(Field, _values.Values);

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows) =>
        await reader.ReadAsync<T>(Field, _values.Append(rows));

    public override void Clear() => _values.Clear();
}

/// <summary>A nullable value column: null where a value does not exist (e.g. metrics of an absent group).</summary>
internal sealed class NullableColumn<T>(string name) : Column
    where T : struct
{
    private readonly ColumnBuffer<T?> _values = new();

    public override DataField Field { get; } = new DataField<T?>(name);

    public override int Count => _values.Count;

    public void Add(T? value) => _values.Add(value);

    public override Task WriteAsync(ParquetRowGroupWriter writer) => writer.WriteAsync<T>(Field, _values.Values);

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows) =>
        await reader.ReadAsync<T>(Field, _values.Append(rows));

    public override void Clear() => _values.Clear();
}

/// <summary>
/// A text column (layer and group names, quantities). Values are kept as the <see cref="ReadOnlyMemory{T}"/> of
/// chars that Parquet.Net encodes: handing it strings would make it convert every value into one, per flush.
/// </summary>
internal sealed class StringColumn(string name) : Column
{
    private readonly ColumnBuffer<ReadOnlyMemory<char>> _values = new();

    public override DataField Field { get; } = new DataField<string>(name, false);

    public override int Count => _values.Count;

    public void Add(string value) => _values.Add(value.AsMemory());

    public override Task WriteAsync(ParquetRowGroupWriter writer) =>
        writer.WriteAsync<ReadOnlyMemory<char>>(Field, _values.Values);

    public override async Task ReadAsync(ParquetRowGroupReader reader, int rows)
    {
        var buffer = new string?[rows];
        await reader.ReadAsync(Field, buffer.AsMemory());
        var values = _values.Append(rows).Span;
        for (int i = 0; i < rows; i++)
        {
            values[i] = (buffer[i] ?? "").AsMemory();
        }
    }

    public override void Clear() => _values.Clear();
}
