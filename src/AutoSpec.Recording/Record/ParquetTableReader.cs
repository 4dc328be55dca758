using Parquet;
using Parquet.Schema;

namespace AutoSpec.Record;

/// <summary>
/// Reads whole Parquet tables into columns (all row groups concatenated): string columns as string?[], numbers and
/// booleans as nullable arrays (int?[], long?[], double?[], bool?[]) whatever their declared nullability.
/// </summary>
internal static class ParquetTableReader
{
    /// <summary>Reads every column of every file, in order, concatenating rows; the files must share a schema.</summary>
    /// <exception cref="InvalidInputException">A file is missing, truncated or not Parquet (the message names it).</exception>
    public static async Task<Dictionary<string, Array>> ReadAsync(IEnumerable<string> paths)
    {
        var parts = new Dictionary<string, List<Array>>();
        foreach (var path in paths)
        {
            try
            {
                await ReadFileAsync(path, parts);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException
                or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                // Parquet.Net's own words ("not a parquet file") do not say which file of a run set is damaged.
                throw new InvalidInputException($"{path}: cannot be read as a Parquet table (truncated or damaged?): {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return parts.ToDictionary(p => p.Key, p => Concatenate(p.Value));
    }

    private static async Task ReadFileAsync(string path, Dictionary<string, List<Array>> parts)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            int rows = checked((int)rowGroup.RowCount);
            foreach (var field in fields)
            {
                if (!parts.TryGetValue(field.Name, out var list))
                {
                    parts[field.Name] = list = [];
                }
                list.Add(await ReadColumnAsync(rowGroup, field, rows));
            }
        }
    }

    private static Array Concatenate(List<Array> arrays)
    {
        if (arrays.Count == 1)
        {
            return arrays[0];
        }
        var result = Array.CreateInstance(arrays[0].GetType().GetElementType()!, arrays.Sum(a => a.Length));
        int offset = 0;
        foreach (var a in arrays)
        {
            Array.Copy(a, 0, result, offset, a.Length);
            offset += a.Length;
        }
        return result;
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, int rows)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var s = new string?[rows];
            await rowGroup.ReadAsync(field, s.AsMemory());
            return s;
        }
        if (type == typeof(int))
        {
            return await ReadValuesAsync<int>(rowGroup, field, rows);
        }
        if (type == typeof(long))
        {
            return await ReadValuesAsync<long>(rowGroup, field, rows);
        }
        if (type == typeof(double))
        {
            return await ReadValuesAsync<double>(rowGroup, field, rows);
        }
        if (type == typeof(bool))
        {
            return await ReadValuesAsync<bool>(rowGroup, field, rows);
        }
        throw new NotSupportedException($"column {field.Name}: type {type.Name} is not read");
    }

    private static async Task<T?[]> ReadValuesAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await rowGroup.ReadAsync<T>(field, nullable.AsMemory());
            return nullable;
        }
        var values = new T[rows];
        await rowGroup.ReadAsync<T>(field, values.AsMemory());
        return values.Select(v => (T?)v).ToArray();
    }
}
