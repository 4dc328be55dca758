using AutoSpec.Data;
using AutoSpec.Tests.Support;
using PureHDF;

namespace AutoSpec.Tests.Data;

/// <summary>An HDF5 dataset's declared size is checked against the file, one array and the memory before reading.</summary>
[Collection("cli")]
public sealed class Hdf5SizeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A dataset declaring <paramref name="dims"/> float32 in a file of a few KB: a 2 × 3 × 5 dataset is written and
    /// its dimensions (three consecutive little-endian uint64 in the dataspace message) patched, as a damaged or
    /// crafted file would declare them.
    /// </summary>
    internal static void WriteDeclared(string path, ulong[] dims)
    {
        var file = new H5File { ["tc"] = new H5Dataset(new float[30], fileDims: [2, 3, 5]) };
        file.Write(path);
        var bytes = File.ReadAllBytes(path);
        var pattern = new byte[24];
        var replacement = new byte[24];
        for (int i = 0; i < 3; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(pattern.AsSpan(8 * i), new ulong[] { 2, 3, 5 }[i]);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(replacement.AsSpan(8 * i), dims[i]);
        }
        int patched = 0;
        for (int at = bytes.AsSpan().IndexOf(pattern); at >= 0; at = bytes.AsSpan().IndexOf(pattern))
        {
            replacement.CopyTo(bytes, at);
            patched++;
        }
        Assert.True(patched > 0, "the dataspace dimensions were not found");
        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [InlineData(40ul, 100_000ul, 100_000ul, "too many for one array")]
    [InlineData(40ul, 3000ul, 3000ul, "more than a file of")]
    [InlineData(4_000_000_000ul, 1ul, 1ul, "too many for one array")]
    public void DeclaredSizesTheFileCannotHoldAreRefused(ulong a, ulong b, ulong c, string reason)
    {
        var path = _temp.Combine("bomb.h5");
        WriteDeclared(path, [a, b, c]);
        File.WriteAllText(_temp.Combine("s.csv"), "id,dx\ns1,hc\ns2,sz\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var r = CliRunner.Run("run", "--data", path, "--dataset", "/tc", "--subjects", _temp.Combine("s.csv"), "--subject", "id",
            "--label", "dx", "--epochs", "1", "--out", _temp.Combine("run"));

        Refusal.AssertErrorLine(r, "bomb.h5", "'/tc'", reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.DoesNotContain("lengths", r.Err);
    }
}
