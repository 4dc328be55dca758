using System.Buffers.Binary;
using System.IO.Compression;
using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

public sealed class NiftiFileTests : LoaderTestBase
{
    /// <summary>
    /// A NIfTI-1 file made field by field from the standard's offsets: sizeof_hdr 0, dim 40, datatype 70, bitpix 72,
    /// pixdim 76, vox_offset 108, scl_slope 112, scl_inter 116, magic 344; data at 352.
    /// </summary>
    internal static byte[] Nifti(short[] dims, short datatype, short bitpix, byte[] data, bool big = false,
        float slope = 0, float inter = 0, int sizeofHdr = 348, string magic = "n+1\0")
    {
        var b = new byte[352 + data.Length];
        void I32(int at, int v)
        {
            if (big) { BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(at), v); } else { BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(at), v); }
        }
        void I16(int at, short v)
        {
            if (big) { BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(at), v); } else { BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(at), v); }
        }
        void F32(int at, float v)
        {
            if (big) { BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(at), v); } else { BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), v); }
        }
        I32(0, sizeofHdr);
        I16(40, (short)dims.Length);
        for (var i = 0; i < 7; i++)
        {
            I16(42 + 2 * i, i < dims.Length ? dims[i] : (short)1);
            F32(80 + 4 * i, 2f);
        }
        I16(70, datatype);
        I16(72, bitpix);
        F32(108, 352);
        F32(112, slope);
        F32(116, inter);
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(b, 344);
        data.CopyTo(b, 352);
        return b;
    }

    private static byte[] Int16s(bool big, params short[] values)
    {
        var b = new byte[2 * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (big) { BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(2 * i), values[i]); } else { BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), values[i]); }
        }
        return b;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var m = new MemoryStream();
        using (var g = new GZipStream(m, CompressionLevel.Fastest))
        {
            g.Write(bytes);
        }
        return m.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsInt16InBothByteOrdersWithScaling(bool big)
    {
        // 2 × 3 × 1 grid, file order x fastest: (0,0) (1,0) (0,1) (1,1) (0,2) (1,2).
        var path = WriteBytes("a.nii", Nifti([2, 3, 1], 4, 16, Int16s(big, 0, 1, 2, 3, 4, 5), big, slope: 2, inter: -1));

        var image = NiftiFile.Read(path);

        Assert.Equal([2, 3, 1], image.Dims);
        Assert.Equal([2f, 2f, 2f], image.PixDim);
        Assert.Equal(4, image.Datatype);
        Assert.Equal([-1f, 1f, 3f, 5f, 7f, 9f], image.Data);
        // C order of [x, y, z]: x slowest.
        Assert.Equal([-1f, 3f, 7f, 1f, 5f, 9f], image.ToCOrder());
    }

    [Fact]
    public void ZeroSlopeMeansNoScaling()
    {
        var path = WriteBytes("u8.nii", Nifti([2, 1, 1], 2, 8, [7, 255], slope: 0, inter: 100));
        Assert.Equal([7f, 255f], NiftiFile.Read(path).Data);
    }

    [Fact]
    public void ReadsInt32Float32Float64()
    {
        var i32 = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(i32, -70000);
        BinaryPrimitives.WriteInt32LittleEndian(i32.AsSpan(4), 5);
        Assert.Equal([-70000f, 5f], NiftiFile.Read(WriteBytes("i.nii", Nifti([2, 1, 1], 8, 32, i32))).Data);

        var f32 = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(f32, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(f32.AsSpan(4), -0.25f);
        Assert.Equal([1.5f, -0.25f], NiftiFile.Read(WriteBytes("f.nii", Nifti([2, 1, 1], 16, 32, f32, big: true))).Data);

        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 3.25);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -8);
        Assert.Equal([3.25f, -8f], NiftiFile.Read(WriteBytes("d.nii", Nifti([2, 1, 1], 64, 64, f64))).Data);
    }

    [Fact]
    public void FourDimensionalGzipAndTrailingSingletonAxes()
    {
        var data = Int16s(false, 1, 2, 3, 4);
        var four = NiftiFile.Read(WriteBytes("t.nii.gz", Gzip(Nifti([1, 1, 2, 2], 4, 16, data))));
        Assert.Equal([1, 1, 2, 2], four.Dims);
        Assert.Equal([1f, 3f, 2f, 4f], four.ToCOrder()); // [x, y, z, t] with t fastest
        var five = NiftiFile.Read(WriteBytes("s.nii", Nifti([1, 2, 2, 1, 1], 4, 16, data)));
        Assert.Equal([1, 2, 2], five.Dims);
    }

    [Fact]
    public void WriterRoundTripsThroughReader()
    {
        var values = Enumerable.Range(0, 2 * 3 * 4 * 2).Select(i => i * 0.5f).ToArray();
        var path = Path.Combine(Dir, "w.nii.gz");

        NiftiFile.Write(path, values, [2, 3, 4, 2], [1, 2, 3, 0.8f]);
        var image = NiftiFile.Read(path);

        Assert.Equal([2, 3, 4, 2], image.Dims);
        Assert.Equal([1f, 2f, 3f, 0.8f], image.PixDim);
        Assert.Equal(values, image.ToCOrder());
        var raw = File.ReadAllBytes(path);
        Assert.Equal([0x1f, 0x8b], raw[..2]);
    }

    [Fact]
    public void BadHeadersAreOneLineErrors()
    {
        void BadRead(string name, byte[] bytes, string fragment)
        {
            var e = Assert.Throws<InvalidInputException>(() => NiftiFile.Read(WriteBytes(name, bytes)));
            Assert.Contains(name, e.Message);
            Assert.Contains(fragment, e.Message);
        }
        var data = Int16s(false, 1, 2);
        BadRead("size.nii", Nifti([2, 1, 1], 4, 16, data, sizeofHdr: 300), "bad header size 300");
        BadRead("two.nii", Nifti([2, 1, 1], 4, 16, data, sizeofHdr: 540), "NIfTI-2");
        BadRead("type.nii", Nifti([2, 1, 1], 32, 64, new byte[16]), "unsupported datatype 32 (complex64)");
        BadRead("rgb.nii", Nifti([2, 1, 1], 128, 24, new byte[6]), "unsupported datatype 128 (rgb24)");
        BadRead("bitpix.nii", Nifti([2, 1, 1], 4, 8, data), "bitpix 8");
        BadRead("magic.nii", Nifti([2, 1, 1], 4, 16, data, magic: "xyz\0"), "magic");
        BadRead("short.nii", Nifti([2, 1, 1], 4, 16, data)[..353], "truncated");
        BadRead("header.nii", new byte[100], "only 100 bytes");
        var gz = Gzip(Nifti([64, 64, 64], 4, 16, new byte[64 * 64 * 64 * 2]));
        BadRead("cut.nii.gz", gz[..(gz.Length / 2)], "truncated");
        BadRead("six.nii", Nifti([1, 1, 1, 2, 2], 4, 16, Int16s(false, 1, 2, 3, 4)), "only 3D and 4D");
    }
}
