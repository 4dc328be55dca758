using System.IO.Compression;
using AutoSpec.Data;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Data;

/// <summary>
/// A .nii.gz is checked by its header before its data are inflated, and never inflated past the size the header
/// declares: small files that inflate to gigabytes are refused in a moment, without the memory.
/// </summary>
[Collection("cli")]
public sealed class NiftiSizeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Gzip(string name, byte[] content, int zeros = 0)
    {
        var path = _temp.Combine(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
        var block = new byte[1 << 20];
        for (int written = 0; written < zeros; written += block.Length)
        {
            gzip.Write(block, 0, Math.Min(block.Length, zeros - written));
        }
        return path;
    }

    [Fact]
    public void DataBeyondTheDeclaredSizeIsNotInflated()
    {
        // 2×2×2 float32 declared, then 200 MB of zeros (about 200 KB compressed).
        var image = NiftiFileTests.Nifti([2, 2, 2], 16, 32, new byte[32]);
        var path = Gzip("bomb.nii.gz", image, zeros: 200 << 20);
        long before = GC.GetTotalAllocatedBytes();

        var e = Assert.Throws<InvalidInputException>(() => NiftiFile.Read(path));

        Assert.Contains("bomb.nii.gz", e.Message);
        Assert.Contains("more than the", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 50 << 20, "the surplus must not be inflated into memory");
    }

    [Fact]
    public void DeclaredSizeTheFileCannotHoldIsRefusedBeforeAllocating()
    {
        // 1000 × 1000 × 1000 float32 (4 GB) declared by a file of a few hundred bytes.
        var image = NiftiFileTests.Nifti([1000, 1000, 1000], 16, 32, []);
        var path = Gzip("huge.nii.gz", image);

        var r = CliRunner.Run("data", "inspect", path);

        Refusal.AssertErrorLine(r, "huge.nii.gz", "more than a");
    }
}
