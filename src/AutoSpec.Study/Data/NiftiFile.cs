using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoSpec.Data;

/// <summary>
/// Reads and writes NIfTI-1 single-file images (.nii, and gzip-compressed .nii.gz). Hand-written: the header is 348
/// fixed bytes and the data a plain array, and the maintained .NET NIfTI readers are not on NuGet in a current form.
/// </summary>
/// <remarks>
/// Read: both byte orders (told by sizeof_hdr = 348), datatypes uint8, int8, int16, uint16, int32, uint32, float32 and
/// float64, scl_slope/scl_inter scaling (ignored when scl_slope is 0, as the standard says), 1 to 4 dimensions with
/// trailing singleton axes dropped. Not supported: NIfTI-2, .hdr/.img pairs, complex and RGB data. Every problem
/// throws <see cref="InvalidInputException"/> naming the file.
/// </remarks>
internal static class NiftiFile
{
    private const int HeaderSize = 348;
    private const int MinimumOffset = 352;

    /// <summary>Reads a .nii or .nii.gz file (gzip is recognised by content, not name).</summary>
    /// <exception cref="InvalidInputException">
    /// Missing file, bad header, unsupported datatype, truncated or damaged data, more data than the header declares,
    /// or a declared size that cannot fit in memory.
    /// </exception>
    public static NiftiImage Read(string path)
    {
        using var stream = Open(path, out bool gzip, out long fileLength);
        try
        {
            // The header is checked before anything else is inflated, and the data read is capped at the size it
            // declares: a small .nii.gz that inflates to gigabytes is refused, not loaded.
            var header = new byte[HeaderSize];
            int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            var (_, need, count) = Parse(path, header[..got], headerOnly: true);
            CheckDeclaredSize(path, need, count, gzip, fileLength);
            var bytes = new byte[need];
            header.CopyTo(bytes, 0);
            long read = HeaderSize + stream.ReadAtLeast(bytes.AsSpan(HeaderSize), (int)(need - HeaderSize), throwOnEndOfStream: false);
            if (read < need)
            {
                throw Bad(path, $"truncated: data needs {need} bytes but the {(gzip ? "inflated " : "")}file has {read}");
            }
            if (gzip && stream.ReadByte() >= 0)
            {
                throw Bad(path, $"inflates to more than the {need} bytes its header declares (header, extensions and data); damaged or not one image");
            }
            return Parse(path, bytes).Image;
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, e.Message.ReplaceLineEndings(" "));
        }
        catch (IOException e)
        {
            throw Bad(path, "cannot be read: " + e.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>Reads only the header: dims, voxel sizes and datatype, without the data (for summaries).</summary>
    public static (int[] Dims, float[] PixDim, short Datatype) ReadHeader(string path)
    {
        using var stream = Open(path, out _, out _);
        var header = new byte[HeaderSize];
        int got;
        try
        {
            got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, e.Message.ReplaceLineEndings(" "));
        }
        var image = Parse(path, header[..got], headerOnly: true).Image;
        return (image.Dims, image.PixDim, image.Datatype);
    }

    /// <summary>
    /// Refuses a declared size that cannot be in the file (deflate inflates at most about 1032:1) or does not fit in
    /// one array or in the memory available, before it is allocated.
    /// </summary>
    private static void CheckDeclaredSize(string path, long need, long count, bool gzip, long fileLength)
    {
        long possible = gzip ? fileLength * 1032 + HeaderSize : fileLength;
        if (need > possible)
        {
            throw Bad(path, gzip
                ? $"truncated or damaged: the header declares {need} bytes of image, more than a {fileLength}-byte gzip file can hold"
                : $"truncated: data needs {need} bytes but the file has {fileLength}");
        }
        if (need > Array.MaxLength || count > Array.MaxLength)
        {
            throw Bad(path, $"{count} voxels ({AvailableMemory.Describe(need)}) are too many for one array; split the image");
        }
        long memory = need + 4 * count;
        long available = AvailableMemory.Bytes();
        if (memory > available)
        {
            throw Bad(path, $"loading it needs about {AvailableMemory.Describe(memory)} but only {AvailableMemory.Describe(available)} of memory are available");
        }
    }

    private static Stream Open(string path, out bool gzip, out long fileLength)
    {
        if (Directory.Exists(path))
        {
            throw Bad(path, "is a directory, not a NIfTI file");
        }
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Bad(path, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(path, "cannot be read: " + e.Message.ReplaceLineEndings(" "));
        }
        fileLength = file.Length;
        Span<byte> magic = stackalloc byte[2];
        gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        return gzip ? new VerifiedGzipStream(file) : file;
    }

    /// <summary>
    /// Writes float32 little-endian data with a 352-byte preamble (header + empty extension flag); gzip-compressed when
    /// the name ends in ".gz". The sform is the voxel-size scaling (sform_code 2, aligned), the qform unset.
    /// </summary>
    /// <param name="path">Target file (.nii or .nii.gz).</param>
    /// <param name="data">Values in C order of <paramref name="dims"/> ([x, y, z(, t)], last axis fastest).</param>
    /// <param name="dims">3 or 4 sizes.</param>
    /// <param name="pixDim">Voxel size per axis (mm; seconds for a fourth axis); null = all 1.</param>
    public static void Write(string path, ReadOnlySpan<float> data, int[] dims, float[]? pixDim = null)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length is < 1 or > 7 || dims.Any(d => d < 1 || d > short.MaxValue))
        {
            throw new ArgumentException("dims needs 1 to 7 sizes in 1..32767", nameof(dims));
        }
        var count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
        {
            throw new ArgumentException($"dims hold {count} values but data has {data.Length}", nameof(data));
        }
        pixDim ??= Enumerable.Repeat(1f, dims.Length).ToArray();
        var bytes = new byte[MinimumOffset + 4 * count];
        var h = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(h, HeaderSize);
        h[38] = (byte)'r'; // regular, as old readers expect
        BinaryPrimitives.WriteInt16LittleEndian(h[40..], (short)dims.Length);
        for (var i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(h[(42 + 2 * i)..], (short)(i < dims.Length ? dims[i] : 1));
        }
        BinaryPrimitives.WriteInt16LittleEndian(h[70..], 16); // float32
        BinaryPrimitives.WriteInt16LittleEndian(h[72..], 32);
        BinaryPrimitives.WriteSingleLittleEndian(h[76..], 1f); // qfac
        for (var i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(80 + 4 * i)..], i < pixDim.Length ? pixDim[i] : 1f);
        }
        BinaryPrimitives.WriteSingleLittleEndian(h[108..], MinimumOffset);
        BinaryPrimitives.WriteSingleLittleEndian(h[112..], 1f); // scl_slope
        h[123] = dims.Length == 4 ? (byte)(2 | 8) : (byte)2; // xyzt_units: mm, seconds
        BinaryPrimitives.WriteInt16LittleEndian(h[254..], 2); // sform_code: aligned
        for (var r = 0; r < 3; r++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(280 + 16 * r + 4 * r)..], r < pixDim.Length ? pixDim[r] : 1f);
        }
        "n+1\0"u8.CopyTo(h[344..]);
        // File order is x fastest: the C-ordered [x, y, z, t] array read as shape [t, z, y, x] reversed.
        var fileOrder = new float[count];
        ArrayAxes.Reverse(data.ToArray(), 0, dims, fileOrder, 0);
        for (long i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(int)(MinimumOffset + 4 * i)..], fileOrder[i]);
        }

        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(file, CompressionLevel.Fastest);
                gzip.Write(bytes);
            }
            else
            {
                file.Write(bytes);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static (NiftiImage Image, long Need, long Count) Parse(string path, byte[] bytes, bool headerOnly = false)
    {
        if (bytes.Length < HeaderSize)
        {
            throw Bad(path, $"only {bytes.Length} bytes; a NIfTI-1 header alone is {HeaderSize} bytes (truncated file?)");
        }
        var h = bytes.AsSpan();
        bool big;
        var little = BinaryPrimitives.ReadInt32LittleEndian(h);
        if (little == HeaderSize)
        {
            big = false;
        }
        else if (BinaryPrimitives.ReadInt32BigEndian(h) == HeaderSize)
        {
            big = true;
        }
        else if (little == 540 || BinaryPrimitives.ReadInt32BigEndian(h) == 540)
        {
            throw Bad(path, "is NIfTI-2 (header size 540); only NIfTI-1 is supported (convert with nibabel or fslchfiletype)");
        }
        else
        {
            throw Bad(path, $"bad header size {little} (sizeof_hdr must be {HeaderSize} in either byte order); not a NIfTI-1 file");
        }
        short I16(int at) => big ? BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(at)) : BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(at));
        float F32(int at) => big ? BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(at)) : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at));

        var magic = h.Slice(344, 4);
        if (magic.SequenceEqual("ni1\0"u8))
        {
            throw Bad(path, "is the header of a .hdr/.img pair; only single-file .nii images are supported");
        }
        if (!magic.SequenceEqual("n+1\0"u8))
        {
            throw Bad(path, "magic is not \"n+1\" (not a single-file NIfTI-1 image; ANALYZE 7.5 is not supported)");
        }
        var rank = I16(40);
        if (rank is < 1 or > 7)
        {
            throw Bad(path, $"dim[0] = {rank} is not a number of dimensions in 1..7");
        }
        var dims = new List<int>();
        var pixdim = new List<float>();
        for (var i = 1; i <= rank; i++)
        {
            var d = I16(40 + 2 * i);
            if (d < 1)
            {
                throw Bad(path, $"dim[{i}] = {d}; every axis needs at least 1 voxel");
            }
            dims.Add(d);
            pixdim.Add(F32(76 + 4 * i));
        }
        while (dims.Count > 3 && dims[^1] == 1)
        {
            dims.RemoveAt(dims.Count - 1);
            pixdim.RemoveAt(pixdim.Count - 1);
        }
        if (dims.Count > 4)
        {
            throw Bad(path, $"has {dims.Count} dimensions ({string.Join(" × ", dims)}); only 3D and 4D images are supported");
        }
        var datatype = I16(70);
        var bitpix = I16(72);
        var size = datatype switch
        {
            2 or 256 => 1,
            4 or 512 => 2,
            8 or 768 or 16 => 4,
            64 => 8,
            _ => throw Bad(path, $"unsupported datatype {datatype} ({DatatypeName(datatype)}); supported: uint8, int8, int16, uint16, int32, uint32, float32, float64"),
        };
        if (bitpix != 8 * size)
        {
            throw Bad(path, $"bitpix {bitpix} does not match datatype {datatype} ({DatatypeName(datatype)}, {8 * size} bits)");
        }
        var voxOffset = F32(108);
        if (!float.IsFinite(voxOffset) || voxOffset < MinimumOffset || voxOffset != MathF.Floor(voxOffset))
        {
            throw Bad(path, $"vox_offset {voxOffset} is not a whole number ≥ {MinimumOffset}");
        }
        // 2⁴⁰ bytes is beyond any image file; larger offsets (and sizes) would overflow the arithmetic below.
        if (voxOffset + (double)dims.Aggregate(1L, (a, b) => a * b) * 8 > 1L << 40)
        {
            throw Bad(path, $"vox_offset {voxOffset} and dims {string.Join(" × ", dims)} declare more than a terabyte; damaged header");
        }
        var slope = F32(112);
        var inter = F32(116);
        var scale = float.IsFinite(slope) && slope != 0;
        if (scale && !float.IsFinite(inter))
        {
            throw Bad(path, $"scl_inter {inter} is not finite");
        }
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var need = (long)voxOffset + count * size;
        if (headerOnly)
        {
            return (new NiftiImage(path, [.. dims], [.. pixdim], datatype, []), need, count);
        }
        if (bytes.Length < need)
        {
            throw Bad(path, $"truncated: data needs {need} bytes ({string.Join(" × ", dims)} × {size} from offset {voxOffset}) but the file has {bytes.Length}");
        }
        if (count > Array.MaxLength)
        {
            throw Bad(path, $"{count} voxels are too many for one array");
        }
        var data = new float[count];
        var src = h[(int)voxOffset..];
        for (long i = 0; i < count; i++)
        {
            var item = src.Slice((int)(i * size), size);
            double v = datatype switch
            {
                2 => item[0],
                256 => (sbyte)item[0],
                4 => big ? BinaryPrimitives.ReadInt16BigEndian(item) : BinaryPrimitives.ReadInt16LittleEndian(item),
                512 => big ? BinaryPrimitives.ReadUInt16BigEndian(item) : BinaryPrimitives.ReadUInt16LittleEndian(item),
                8 => big ? BinaryPrimitives.ReadInt32BigEndian(item) : BinaryPrimitives.ReadInt32LittleEndian(item),
                768 => big ? BinaryPrimitives.ReadUInt32BigEndian(item) : BinaryPrimitives.ReadUInt32LittleEndian(item),
                16 => big ? BinaryPrimitives.ReadSingleBigEndian(item) : BinaryPrimitives.ReadSingleLittleEndian(item),
                _ => big ? BinaryPrimitives.ReadDoubleBigEndian(item) : BinaryPrimitives.ReadDoubleLittleEndian(item),
            };
            data[i] = (float)(scale ? v * slope + inter : v);
        }
        return (new NiftiImage(path, [.. dims], [.. pixdim], datatype, data), need, count);
    }

    /// <summary>The name of a NIfTI-1 datatype code (16 → float32).</summary>
    internal static string DatatypeName(short code) => code switch
    {
        0 => "unknown",
        1 => "binary",
        2 => "uint8",
        4 => "int16",
        8 => "int32",
        16 => "float32",
        32 => "complex64",
        64 => "float64",
        128 => "rgb24",
        256 => "int8",
        512 => "uint16",
        768 => "uint32",
        1024 => "int64",
        1280 => "uint64",
        1536 => "float128",
        1792 => "complex128",
        2048 => "complex256",
        2304 => "rgba32",
        _ => "not a NIfTI datatype",
    };

    private static InvalidInputException Bad(string path, string message) => new($"{path}: {message}.");
}
