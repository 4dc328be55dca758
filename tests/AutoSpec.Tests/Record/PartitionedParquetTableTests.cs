using AutoSpec.Record;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Record;

/// <summary>
/// Every kind of column a run table has survives a flush into part files and their merge, value for value: NaN,
/// infinities and nulls included, strings beyond ASCII, and a smaller flush after a larger one (the columns' buffers
/// are kept between flushes, so nothing of the earlier part may leak into the later one).
/// </summary>
public class PartitionedParquetTableTests
{
    private sealed class Columns
    {
        public readonly ValueColumn<int> Int = new("i");
        public readonly ValueColumn<long> Long = new("l");
        public readonly ValueColumn<double> Double = new("d");
        public readonly ValueColumn<bool> Bool = new("b");
        public readonly NullableColumn<int> NullableInt = new("ni");
        public readonly NullableColumn<double> NullableDouble = new("nd");
        public readonly StringColumn Text = new("s");

        public IReadOnlyList<Column> All => [Text, Int, Long, Double, Bool, NullableInt, NullableDouble];
    }

    private static readonly double[] Specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue];
    private static readonly string[] Texts = ["", "grad", "σ₁ résumé", "layers.0.weight", "all"];

    private sealed record Row(string Text, int Int, long Long, double Double, bool Bool, int? NullableInt, double? NullableDouble);

    private static Row MakeRow(int i) => new(Texts[i % Texts.Length], i - 7, (long)i << 33, i % 11 == 0 ? Specials[i / 11 % Specials.Length] : i * 0.125,
        i % 3 == 0, i % 4 == 0 ? null : -i, i % 5 == 0 ? null : i % 7 == 0 ? double.NaN : i / 3.0);

    private static void Add(Columns c, Row r)
    {
        c.Text.Add(r.Text);
        c.Int.Add(r.Int);
        c.Long.Add(r.Long);
        c.Double.Add(r.Double);
        c.Bool.Add(r.Bool);
        c.NullableInt.Add(r.NullableInt);
        c.NullableDouble.Add(r.NullableDouble);
    }

    private static async Task<List<Row>> ReadAsync(IEnumerable<string> files)
    {
        var t = await ParquetTableReader.ReadAsync(files);
        var text = (string?[])t["s"];
        var i = (int?[])t["i"];
        var l = (long?[])t["l"];
        var d = (double?[])t["d"];
        var b = (bool?[])t["b"];
        var ni = (int?[])t["ni"];
        var nd = (double?[])t["nd"];
        return [.. Enumerable.Range(0, text.Length).Select(r => new Row(text[r]!, i[r]!.Value, l[r]!.Value, d[r]!.Value, b[r]!.Value, ni[r], nd[r]))];
    }

    [Fact]
    public async Task Parts_and_their_merge_hold_every_value_written()
    {
        using var folder = new TempFolder();
        var columns = new Columns();
        var table = new PartitionedParquetTable(folder.Path, "values", columns.All);
        // More rows than a buffer starts with, then fewer, then a few.
        int[] flushes = [3000, 17, 1200];
        var written = new List<Row>();
        int next = 0;
        foreach (int rows in flushes)
        {
            for (int r = 0; r < rows; r++)
            {
                var row = MakeRow(next++);
                Add(columns, row);
                written.Add(row);
            }
            await table.FlushAsync();
        }

        var parts = RunTable.Files(folder.Path, "values");
        Assert.Equal(flushes.Length, parts.Count);
        int offset = 0;
        for (int p = 0; p < parts.Count; p++)
        {
            Assert.Equal(written.Skip(offset).Take(flushes[p]), await ReadAsync([parts[p]]));
            offset += flushes[p];
        }

        await table.MergeAsync();
        table.DeleteParts();
        var merged = RunTable.Files(folder.Path, "values");
        Assert.Equal([Path.Combine(folder.Path, "values.parquet")], merged);
        Assert.Equal(written, await ReadAsync(merged));
    }
}
