using System.Buffers.Binary;
using System.Text;
using AutoSpec.Files;
using AutoSpec.Record;

namespace AutoSpec.Tests.Record;

public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autospec-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A .npy file built by hand: version, header text (padded to 64 like numpy) and raw data.</summary>
    private string HandMade(string name, string header, byte[] data, int major = 1)
    {
        var prefix = major == 1 ? 10 : 12;
        var length = header.Length + 1;
        var pad = (64 - (prefix + length) % 64) % 64;
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var headerLength = length + pad;
        if (major == 1)
        {
            bytes.AddRange([(byte)headerLength, (byte)(headerLength >> 8)]);
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes(headerLength));
        }
        bytes.AddRange(Encoding.ASCII.GetBytes(header + new string(' ', pad) + "\n"));
        bytes.AddRange(data);
        var path = PathOf(name);
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    [Fact]
    public void Float32RoundTrips()
    {
        var path = PathOf("f4.npy");
        float[] data = [0f, -1.5f, float.MaxValue, float.Epsilon, 3.25f, -0f];
        NpyFile.Write(path, data, 3, 2);

        var (read, shape) = NpyFile.ReadFloat32(path);

        Assert.Equal(data, read);
        Assert.Equal([3L, 2L], shape);
        Assert.Equal("<f4", NpyFile.Read(path).Descr);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Float64RoundTrips()
    {
        var path = PathOf("f8.npy");
        double[] data = [Math.PI, -1e300, double.NaN, 0.1];
        NpyFile.Write(path, data, 2, 1, 2);

        var (read, shape) = NpyFile.ReadFloat64(path);

        Assert.Equal(data, read);
        Assert.Equal([2L, 1L, 2L], shape);
        Assert.Equal("<f8", NpyFile.Read(path).Descr);
    }

    [Fact]
    public void Int32RoundTrips()
    {
        var path = PathOf("i4.npy");
        int[] data = [int.MinValue, -1, 0, 1, int.MaxValue];
        NpyFile.Write(path, data, 5);

        var (read, shape) = NpyFile.ReadInt32(path);

        Assert.Equal(data, read);
        Assert.Equal([5L], shape);
        Assert.Equal("<i4", NpyFile.Read(path).Descr);
    }

    [Fact]
    public void Int64RoundTrips()
    {
        var path = PathOf("i8.npy");
        long[] data = [long.MinValue, 42, long.MaxValue, -7];
        NpyFile.Write(path, data, 4, 1);

        var (read, shape) = NpyFile.ReadInt64(path);

        Assert.Equal(data, read);
        Assert.Equal([4L, 1L], shape);
        Assert.Equal("<i8", NpyFile.Read(path).Descr);
    }

    [Fact]
    public void EmptyAndZeroDimensionalArraysRoundTrip()
    {
        var empty = PathOf("empty.npy");
        NpyFile.Write(empty, ReadOnlySpan<float>.Empty, 0, 3);
        var (data, shape) = NpyFile.ReadFloat32(empty);
        Assert.Empty(data);
        Assert.Equal([0L, 3L], shape);

        var scalar = PathOf("scalar.npy");
        NpyFile.Write(scalar, [2.5]);
        var raw = NpyFile.Read(scalar);
        Assert.Empty(raw.Shape);
        Assert.Equal(2.5, NpyFile.ReadFloat64(scalar).Data.Single());
        Assert.Contains("'shape': (), }", HeaderText(scalar));
    }

    [Fact]
    public void BytesMatchNumpySaveOfArange6Reshaped2x3()
    {
        var path = PathOf("arange.npy");
        NpyFile.Write(path, [0f, 1f, 2f, 3f, 4f, 5f], 2, 3);

        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        var expected = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)'v', 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(dict));
        expected.AddRange(Enumerable.Repeat((byte)' ', 128 - 10 - dict.Length - 1));
        expected.Add((byte)'\n');
        for (var i = 0; i < 6; i++)
        {
            var item = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(item, i);
            expected.AddRange(item);
        }

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void OneDimensionalShapeIsWrittenWithATrailingComma()
    {
        var path = PathOf("vector.npy");
        NpyFile.Write(path, [1, 2, 3, 4, 5], 5);

        Assert.Contains("'shape': (5,), }", HeaderText(path));
    }

    [Theory]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 12345, 6 })]
    [InlineData(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 })]
    [InlineData(new long[] { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 })]
    public void DataStartsAtAMultipleOf64AndHeaderEndsWithNewline(long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var path = PathOf("aligned.npy");
        NpyFile.Write(path, new double[count], shape);

        var bytes = File.ReadAllBytes(path);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Equal(10 + headerLength + count * 8, bytes.Length);
        Assert.Equal(shape, NpyFile.Read(path).Shape);
    }

    [Fact]
    public void OverwritesAnExistingFile()
    {
        var path = PathOf("again.npy");
        NpyFile.Write(path, [1, 2, 3], 3);
        NpyFile.Write(path, [9L], 1);

        Assert.Equal([9L], NpyFile.ReadInt64(path).Data);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void ShapeThatDoesNotMatchTheDataIsRejected()
    {
        var path = PathOf("bad-shape.npy");
        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, [1f, 2f, 3f], 2, 2));
        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, [1f, 2f], -1, -2));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReadsBigEndianFloat64()
    {
        double[] values = [1.5, -2.25, 1e300];
        var data = new byte[24];
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteDoubleBigEndian(data.AsSpan(i * 8), values[i]);
        }
        var path = HandMade("big.npy", "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", data);

        Assert.Equal(values, NpyFile.ReadFloat64(path).Data);
        Assert.Equal(">f8", NpyFile.Read(path).Descr);
        Assert.Equal([1.5f, -2.25f, float.PositiveInfinity], NpyFile.ReadAsFloat32(path).Data);
    }

    [Fact]
    public void ReadsBigEndianInt32AndVersion2Header()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(data, -5);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), 70000);
        var path = HandMade("v2.npy", "{\"descr\": \">i4\", \"shape\": (2L,), \"fortran_order\": False}", data, major: 2);

        var (values, shape) = NpyFile.ReadInt32(path);

        Assert.Equal([-5, 70000], values);
        Assert.Equal([2L], shape);
    }

    [Fact]
    public void FortranOrderIsConvertedToCOrderByTypedReaders()
    {
        // The 2×3 array [[0, 1, 2], [3, 4, 5]] stored column by column.
        long[] columnMajor = [0, 3, 1, 4, 2, 5];
        var data = new byte[48];
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), columnMajor[i]);
        }
        var path = HandMade("fortran.npy", "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }", data);

        Assert.True(NpyFile.Read(path).FortranOrder);
        Assert.Equal([0L, 1, 2, 3, 4, 5], NpyFile.ReadInt64(path).Data);
        Assert.Equal([0f, 1, 2, 3, 4, 5], NpyFile.ReadAsFloat32(path).Data);
    }

    [Fact]
    public void ReadAsFloat32ConvertsIntegerAndBooleanTypes()
    {
        var path = HandMade("u2.npy", "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", [0x01, 0x00, 0xff, 0xff]);
        Assert.Equal([1f, 65535f], NpyFile.ReadAsFloat32(path).Data);

        var flags = HandMade("b1.npy", "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 1]);
        Assert.Equal([1f, 0f, 1f], NpyFile.ReadAsFloat32(flags).Data);
    }

    private InvalidInputException ReadFails(string path, Func<string, object>? read = null)
    {
        var e = Assert.Throws<InvalidInputException>(() => (read ?? NpyFile.Read)(path));
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void MissingFile() => Assert.Contains("not found", ReadFails(PathOf("absent.npy")).Message);

    [Fact]
    public void BadMagic()
    {
        var path = PathOf("magic.npy");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip, not npy"));
        Assert.Contains("bad magic", ReadFails(path).Message);
    }

    [Fact]
    public void TooShortForMagic()
    {
        var path = PathOf("short.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N']);
        Assert.Contains("bad magic", ReadFails(path).Message);
    }

    [Fact]
    public void UnsupportedVersion()
    {
        var path = HandMade("v9.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", []);
        var bytes = File.ReadAllBytes(path);
        bytes[6] = 9;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("version 9.0", ReadFails(path).Message);
    }

    [Fact]
    public void TruncatedHeader()
    {
        var path = PathOf("truncated.npy");
        File.WriteAllBytes(path, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0x76, 0, (byte)'{']);
        Assert.Contains("truncated", ReadFails(path).Message);
    }

    [Theory]
    [InlineData("[1, 2, 3]")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} junk")]
    [InlineData("{descr: '<f4'}")]
    public void HeaderThatIsNotADict(string header)
    {
        var path = HandMade("notdict.npy", header, new byte[24]);
        Assert.Contains("header is not a valid dict", ReadFails(path).Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'shape': (2, 3), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'x'), }", "shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, -3), }", "negative")]
    [InlineData("{'fortran_order': False, 'shape': (2, 3), }", "descr")]
    public void HeaderWithMissingOrBadEntries(string header, string expected)
    {
        var path = HandMade("entries.npy", header, new byte[24]);
        Assert.Contains(expected, ReadFails(path).Message);
    }

    [Theory]
    [InlineData("'<c16'")]
    [InlineData("'|O'")]
    [InlineData("'<U5'")]
    [InlineData("'<f2'")]
    [InlineData("'|f4'")]
    [InlineData("[('a', '<f4'), ('b', '<i4')]")]
    public void UnsupportedDtype(string descr)
    {
        var path = HandMade("dtype.npy", "{'descr': " + descr + ", 'fortran_order': False, 'shape': (2,), }", new byte[32]);
        Assert.Contains("dtype", ReadFails(path).Message);
    }

    [Theory]
    [InlineData(23)]
    [InlineData(25)]
    [InlineData(0)]
    public void DataLengthNotMatchingShape(int length)
    {
        var path = HandMade("length.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[length]);
        Assert.Contains($"data is {length} bytes but shape (2, 3) of '<f4' needs 24 bytes", ReadFails(path).Message);
    }

    [Fact]
    public void TypedReaderRejectsAnotherDtype()
    {
        var path = PathOf("typed.npy");
        NpyFile.Write(path, [1f, 2f], 2);

        Assert.Contains("is not int32", ReadFails(path, p => NpyFile.ReadInt32(p)).Message);
        Assert.Contains("is not float64", ReadFails(path, p => NpyFile.ReadFloat64(p)).Message);
    }

    private static string HeaderText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        return Encoding.ASCII.GetString(bytes, 10, length);
    }
}
