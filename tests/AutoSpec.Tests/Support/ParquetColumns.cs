using Parquet;

namespace AutoSpec.Tests.Support;

/// <summary>Reads every column of a Parquet file into arrays (all row groups concatenated), with Parquet.Net.</summary>
public static class ParquetColumns
{
    public static async Task<Dictionary<string, List<object?>>> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var result = reader.Schema.GetDataFields().ToDictionary(f => f.Name, _ => new List<object?>());
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int rows = (int)rg.RowCount;
            foreach (var field in reader.Schema.GetDataFields())
            {
                result[field.Name].AddRange(await ReadColumn(rg, field, rows));
            }
        }
        return result;
    }

    private static async Task<IEnumerable<object?>> ReadColumn(ParquetRowGroupReader rg, Parquet.Schema.DataField field, int rows)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var s = new string?[rows];
            await rg.ReadAsync(field, s.AsMemory());
            return s;
        }
        if (field.ClrType == typeof(int))
        {
            return field.IsNullable ? await Nullable<int>(rg, field, rows) : await Values<int>(rg, field, rows);
        }
        if (field.ClrType == typeof(long))
        {
            return await Values<long>(rg, field, rows);
        }
        if (field.ClrType == typeof(bool))
        {
            return field.IsNullable ? await Nullable<bool>(rg, field, rows) : await Values<bool>(rg, field, rows);
        }
        if (field.ClrType == typeof(double))
        {
            return field.IsNullable ? await Nullable<double>(rg, field, rows) : await Values<double>(rg, field, rows);
        }
        throw new NotSupportedException(field.ClrType.Name);
    }

    private static async Task<IEnumerable<object?>> Values<T>(ParquetRowGroupReader rg, Parquet.Schema.DataField f, int rows)
        where T : struct
    {
        var v = new T[rows];
        await rg.ReadAsync<T>(f, v.AsMemory());
        return v.Cast<object?>();
    }

    private static async Task<IEnumerable<object?>> Nullable<T>(ParquetRowGroupReader rg, Parquet.Schema.DataField f, int rows)
        where T : struct
    {
        var v = new T?[rows];
        await rg.ReadAsync<T>(f, v.AsMemory());
        return v.Select(x => (object?)x);
    }
}
