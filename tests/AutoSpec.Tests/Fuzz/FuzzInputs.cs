using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AutoSpec.Tests.Fuzz;

/// <summary>Builders of the fuzz suite's input files (all made by code; nothing binary is committed).</summary>
public static class FuzzInputs
{
    /// <summary>A valid wide table: subject, y ∈ {a, b}, g ∈ {s1, s2}, age (continuous), f1..f3; 60 rows.</summary>
    public static string Csv(int rows = 60, char delimiter = ',', string newline = "\n", Action<int, string[]>? edit = null)
    {
        var text = new StringBuilder(string.Join(delimiter, "subject", "y", "g", "age", "f1", "f2", "f3")).Append(newline);
        for (int i = 0; i < rows; i++)
        {
            string[] f = [$"p{i:D3}", i % 2 == 0 ? "a" : "b", i % 3 == 0 ? "s1" : "s2", (20 + i * 0.37).ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
                (i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture), (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture), ((i * 13) % 5 - 2).ToString(System.Globalization.CultureInfo.InvariantCulture)];
            edit?.Invoke(i, f);
            text.Append(string.Join(delimiter, f)).Append(newline);
        }
        return text.ToString();
    }

    /// <summary>gzip of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return memory.ToArray();
    }

    /// <summary>A .npy (version 1.0) with the given header dict text and data bytes.</summary>
    public static byte[] Npy(string header, byte[] data, byte major = 1)
    {
        var padded = header.PadRight((header.Length + 12 + 63) / 64 * 64 - 12 - 1) + "\n";
        var text = Encoding.Latin1.GetBytes(padded);
        using var s = new MemoryStream();
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)text.Length);
        }
        s.Write(length);
        s.Write(text);
        s.Write(data);
        return s.ToArray();
    }

    /// <summary>A valid float32 array of 6 subjects × 2 components × 8 time points.</summary>
    public static byte[] ValidNpy() =>
        Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 2, 8), }", FloatBytes(Enumerable.Range(0, 96).Select(i => (float)Math.Sin(i)).ToArray()));

    /// <summary>Little-endian float32 bytes.</summary>
    public static byte[] FloatBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }

    /// <summary>The subject table of <see cref="ValidNpy"/>.</summary>
    public const string Subjects = "id,dx,site\ns1,hc,A\ns2,sz,A\ns3,hc,B\ns4,sz,B\ns5,hc,A\ns6,sz,B\n";

    /// <summary>A NIfTI-1 4-D float32 stack of 4 × 4 × 4 voxels × 6 samples, uncompressed bytes.</summary>
    public static byte[] Nifti(short[]? dims = null, short datatype = 16, short bitpix = 32, float voxOffset = 352, int sizeofHdr = 348, string magic = "n+1\0", byte[]? data = null)
    {
        dims ??= [4, 4, 4, 6];
        long count = dims.Aggregate(1L, (a, b) => a * b);
        data ??= FloatBytes(Enumerable.Range(0, (int)Math.Min(count, 1 << 20)).Select(i => (float)(i % 17)).ToArray());
        var b = new byte[352 + data.Length];
        BinaryPrimitives.WriteInt32LittleEndian(b, sizeofHdr);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(40), (short)dims.Length);
        for (int i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(42 + 2 * i), i < dims.Length ? dims[i] : (short)1);
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(80 + 4 * i), 1f);
        }
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(70), datatype);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(72), bitpix);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(108), voxOffset);
        Encoding.Latin1.GetBytes(magic).CopyTo(b, 344);
        data.CopyTo(b, 352);
        return b;
    }

    /// <summary>A gzip stream of a NIfTI header declaring 2 × 2 × 2 voxels followed by <paramref name="megabytes"/> MB of zeros.</summary>
    public static void WriteInflationBomb(string path, int megabytes)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Nifti([2, 2, 2], data: new byte[32]));
        var block = new byte[1 << 20];
        for (int i = 0; i < megabytes; i++)
        {
            gzip.Write(block);
        }
    }
}
