using System.IO.Compression;
using System.Text;
using AutoSpec.Data;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Data;

/// <summary>
/// Every .gz reader checks the gzip trailer: a file cut short (even at a deflate flush point, where inflating stops
/// cleanly) or with a wrong CRC is refused with the file's name, never loaded in part.
/// </summary>
[Collection("cli")]
public sealed class GzipIntegrityTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>120 rows gzipped; also returns the length of the file right after a sync flush at row 80.</summary>
    internal static (byte[] Whole, int CutAt) CsvGz(int rows = 120, int flushAt = 80)
    {
        using var memory = new MemoryStream();
        int cut = 0;
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            var header = Encoding.UTF8.GetBytes("y,g,f1,f2\n");
            gzip.Write(header);
            for (int i = 0; i < rows; i++)
            {
                gzip.Write(Encoding.UTF8.GetBytes($"{(i % 2 == 0 ? "a" : "b")},{(i % 3 == 0 ? "s1" : "s2")},{i * 0.5},{i % 7}\n"));
                if (i + 1 == flushAt)
                {
                    gzip.Flush();
                    cut = (int)memory.Length;
                }
            }
        }
        return (memory.ToArray(), cut);
    }

    [Fact]
    public void TruncatedAtAFlushPointIsRefused()
    {
        var (whole, cut) = CsvGz();
        var path = _temp.Combine("cut.csv.gz");
        File.WriteAllBytes(path, whole[..cut]);

        var r = CliRunner.Run("run", "--data", path, "--label", "y", "--group", "g", "--epochs", "1", "--out", _temp.Combine("run"));

        Refusal.AssertErrorLine(r, "cut.csv.gz", "truncated");
        Assert.False(File.Exists(_temp.Combine("run", "manifest.json")));
    }

    [Fact]
    public void WholeFileLoads()
    {
        var path = _temp.Combine("whole.csv.gz");
        File.WriteAllBytes(path, CsvGz().Whole);

        var table = DelimitedTableLoader.Load(new DelimitedTableOptions { Path = path, LabelColumn = "y", GroupColumn = "g" });

        Assert.Equal(120, table.Dataset.SampleCount);
    }

    [Fact]
    public void BadCrcIsRefusedAsDamaged()
    {
        var whole = CsvGz().Whole;
        whole[^8] ^= 0x5a;
        var path = _temp.Combine("crc.csv.gz");
        File.WriteAllBytes(path, whole);

        var r = CliRunner.Run("data", "inspect", path);

        var line = Refusal.AssertErrorLine(r, "crc.csv.gz", "damaged");
        Assert.DoesNotContain("unsupported compression method", line);
    }
}
