using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AutoSpec.Files;

/// <summary>
/// The raw content of a .npy file: the dtype string as written (e.g. "&lt;f4", "&gt;f8"), the shape, the storage order
/// and the data bytes exactly as stored (in the file's byte order and storage order).
/// </summary>
internal sealed record NpyArray(string Descr, long[] Shape, bool FortranOrder, byte[] Data);

/// <summary>
/// Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0; see numpy.lib.format).
/// Written files are byte-for-byte what <c>numpy.save</c> writes for a C-ordered little-endian array.
/// </summary>
internal static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int ArrayAlign = 64;
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>Writes float32 data ('&lt;f4') in C order.</summary>
    /// <param name="path">Target file; written as path + ".tmp" first, then renamed over <paramref name="path"/>.</param>
    /// <param name="data">Elements in C (row-major) order.</param>
    /// <param name="shape">Array shape; its product must equal the data length. Empty for a 0-d array.</param>
    public static void Write(string path, ReadOnlySpan<float> data, params long[] shape) =>
        WriteCore(path, data, shape, "<f4");

    /// <summary>Writes float64 data ('&lt;f8') in C order; see <see cref="Write(string, ReadOnlySpan{float}, long[])"/>.</summary>
    public static void Write(string path, ReadOnlySpan<double> data, params long[] shape) =>
        WriteCore(path, data, shape, "<f8");

    /// <summary>Writes int32 data ('&lt;i4') in C order; see <see cref="Write(string, ReadOnlySpan{float}, long[])"/>.</summary>
    public static void Write(string path, ReadOnlySpan<int> data, params long[] shape) =>
        WriteCore(path, data, shape, "<i4");

    /// <summary>Writes int64 data ('&lt;i8') in C order; see <see cref="Write(string, ReadOnlySpan{float}, long[])"/>.</summary>
    public static void Write(string path, ReadOnlySpan<long> data, params long[] shape) =>
        WriteCore(path, data, shape, "<i8");

    /// <summary>
    /// Reads a .npy file without converting anything. Supported dtypes: f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 and
    /// b1, in either byte order.
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing, unreadable or not a supported .npy file; the message
    /// names the file.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Bad(path, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(path, "cannot be read: " + OneLine(e.Message));
        }
        using (stream)
        {
            try
            {
                return ReadCore(path, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Bad(path, "cannot be read: " + OneLine(e.Message));
            }
        }
    }

    /// <summary>Reads a float32 array ('&lt;f4' or '&gt;f4') as C-ordered values in machine byte order.</summary>
    /// <exception cref="InvalidInputException">Not a .npy file, or the dtype is not float32.</exception>
    public static (float[] Data, long[] Shape) ReadFloat32(string path) => ReadTyped<float>(path, 'f', "float32");

    /// <summary>Reads a float64 array ('&lt;f8' or '&gt;f8') as C-ordered values in machine byte order.</summary>
    /// <exception cref="InvalidInputException">Not a .npy file, or the dtype is not float64.</exception>
    public static (double[] Data, long[] Shape) ReadFloat64(string path) => ReadTyped<double>(path, 'f', "float64");

    /// <summary>Reads an int32 array ('&lt;i4' or '&gt;i4') as C-ordered values in machine byte order.</summary>
    /// <exception cref="InvalidInputException">Not a .npy file, or the dtype is not int32.</exception>
    public static (int[] Data, long[] Shape) ReadInt32(string path) => ReadTyped<int>(path, 'i', "int32");

    /// <summary>Reads an int64 array ('&lt;i8' or '&gt;i8') as C-ordered values in machine byte order.</summary>
    /// <exception cref="InvalidInputException">Not a .npy file, or the dtype is not int64.</exception>
    public static (long[] Data, long[] Shape) ReadInt64(string path) => ReadTyped<long>(path, 'i', "int64");

    /// <summary>
    /// Reads any supported numeric or boolean array and converts it to C-ordered float32 (large integers and float64
    /// values are rounded to the nearest float32).
    /// </summary>
    /// <exception cref="InvalidInputException">Not a supported .npy file.</exception>
    public static (float[] Data, long[] Shape) ReadAsFloat32(string path)
    {
        var array = Read(path);
        var dtype = ParseDescr(array.Descr)!.Value;
        var src = array.Data;
        var count = src.Length / dtype.Size;
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var item = src.AsSpan(i * dtype.Size, dtype.Size);
            var big = dtype.BigEndian;
            values[i] = (dtype.Kind, dtype.Size) switch
            {
                ('f', 4) => big ? BinaryPrimitives.ReadSingleBigEndian(item) : BinaryPrimitives.ReadSingleLittleEndian(item),
                ('f', 8) => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(item) : BinaryPrimitives.ReadDoubleLittleEndian(item)),
                ('i', 1) => (sbyte)item[0],
                ('i', 2) => big ? BinaryPrimitives.ReadInt16BigEndian(item) : BinaryPrimitives.ReadInt16LittleEndian(item),
                ('i', 4) => big ? BinaryPrimitives.ReadInt32BigEndian(item) : BinaryPrimitives.ReadInt32LittleEndian(item),
                ('i', 8) => big ? BinaryPrimitives.ReadInt64BigEndian(item) : BinaryPrimitives.ReadInt64LittleEndian(item),
                ('u', 1) => item[0],
                ('u', 2) => big ? BinaryPrimitives.ReadUInt16BigEndian(item) : BinaryPrimitives.ReadUInt16LittleEndian(item),
                ('u', 4) => big ? BinaryPrimitives.ReadUInt32BigEndian(item) : BinaryPrimitives.ReadUInt32LittleEndian(item),
                ('u', 8) => big ? BinaryPrimitives.ReadUInt64BigEndian(item) : BinaryPrimitives.ReadUInt64LittleEndian(item),
                ('b', 1) => item[0] != 0 ? 1f : 0f,
                _ => throw new InvalidOperationException("unreachable: dtype was validated"),
            };
        }
        return (ToCOrder(values, array.Shape, array.FortranOrder), array.Shape);
    }

    /// <summary>The header text numpy writes for a C-ordered array (dict, growth spaces; no alignment padding).</summary>
    internal static string HeaderDict(string descr, long[] shape)
    {
        var shapeRepr = shape.Length switch
        {
            0 => "()",
            1 => "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)",
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        var header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeRepr + ", }";
        if (shape.Length > 0)
        {
            // numpy leaves room for the first axis to grow in place.
            header += new string(' ', Math.Max(0, GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length));
        }
        return header;
    }

    private static void WriteCore<T>(string path, ReadOnlySpan<T> data, long[] shape, string descr)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape ({string.Join(", ", shape)}) has a negative dimension", nameof(shape));
            }
            count = checked(count * d);
        }
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"shape ({string.Join(", ", shape)}) holds {count} elements but the data has {data.Length}", nameof(shape));
        }

        var preamble = BuildPreamble(HeaderDict(descr, shape));
        var tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(preamble);
                var bytes = MemoryMarshal.AsBytes(data);
                if (BitConverter.IsLittleEndian)
                {
                    stream.Write(bytes);
                }
                else
                {
                    var size = Marshal.SizeOf<T>();
                    var buffer = new byte[size * 4096];
                    for (var offset = 0; offset < bytes.Length; offset += buffer.Length)
                    {
                        var chunk = bytes.Slice(offset, Math.Min(buffer.Length, bytes.Length - offset));
                        chunk.CopyTo(buffer);
                        for (var i = 0; i < chunk.Length; i += size)
                        {
                            buffer.AsSpan(i, size).Reverse();
                        }
                        stream.Write(buffer, 0, chunk.Length);
                    }
                }
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(tmp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort; the original error matters more.
            }
            throw;
        }
    }

    private static byte[] BuildPreamble(string header)
    {
        // Same rule as numpy.lib.format._wrap_header: version 1.0 unless the header needs more than 65535 bytes;
        // pad with spaces (always at least one) and a final '\n' so the data starts at a multiple of 64.
        var headerLength = header.Length + 1;
        var major = 1;
        var prefix = Magic.Length + 2 + 2;
        var pad = ArrayAlign - ((prefix + headerLength) % ArrayAlign);
        if (headerLength + pad > ushort.MaxValue)
        {
            major = 2;
            prefix = Magic.Length + 2 + 4;
            pad = ArrayAlign - ((prefix + headerLength) % ArrayAlign);
        }
        var result = new byte[prefix + headerLength + pad];
        Magic.CopyTo(result, 0);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)(headerLength + pad));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)(headerLength + pad));
        }
        Encoding.ASCII.GetBytes(header, result.AsSpan(prefix));
        result.AsSpan(prefix + header.Length, pad).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    private static NpyArray ReadCore(string path, FileStream stream)
    {
        Span<byte> start = stackalloc byte[8];
        if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) < 8 || !start[..6].SequenceEqual(Magic))
        {
            throw Bad(path, "not a .npy file (bad magic; expected \\x93NUMPY)");
        }
        int major = start[6], minor = start[7];
        int headerLength;
        Span<byte> lengthBytes = stackalloc byte[4];
        if (major == 1)
        {
            if (stream.ReadAtLeast(lengthBytes[..2], 2, throwOnEndOfStream: false) < 2)
            {
                throw Bad(path, "truncated .npy header");
            }
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes);
        }
        else if (major is 2 or 3)
        {
            if (stream.ReadAtLeast(lengthBytes, 4, throwOnEndOfStream: false) < 4)
            {
                throw Bad(path, "truncated .npy header");
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
            if (length > stream.Length)
            {
                throw Bad(path, $"header length {length} exceeds the file size");
            }
            headerLength = (int)length;
        }
        else
        {
            throw Bad(path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }
        var headerBytes = new byte[headerLength];
        if (stream.ReadAtLeast(headerBytes, headerLength, throwOnEndOfStream: false) < headerLength)
        {
            throw Bad(path, "truncated .npy header");
        }
        var headerText = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);

        Dictionary<string, object?> dict;
        try
        {
            dict = new PyLiteralParser(headerText).ParseHeader();
        }
        catch (FormatException e)
        {
            throw Bad(path, "header is not a valid dict: " + e.Message);
        }

        if (!dict.TryGetValue("descr", out var descrValue) || descrValue is not string descr)
        {
            throw Bad(path, "header has no string 'descr' entry (structured dtypes are not supported)");
        }
        var dtype = ParseDescr(descr) ?? throw Bad(path,
            $"unsupported dtype '{descr}' (supported: f4, f8, i1, i2, i4, i8, u1, u2, u4, u8, b1)");
        if (!dict.TryGetValue("fortran_order", out var fortranValue) || fortranValue is not bool fortran)
        {
            throw Bad(path, "header has no True/False 'fortran_order' entry");
        }
        if (!dict.TryGetValue("shape", out var shapeValue) || shapeValue is not List<object?> shapeItems
            || shapeItems.Any(d => d is not long))
        {
            throw Bad(path, "header has no 'shape' tuple of integers");
        }
        var shape = shapeItems.Select(d => (long)d!).ToArray();
        if (shape.Any(d => d < 0))
        {
            throw Bad(path, $"shape ({string.Join(", ", shape)}) has a negative dimension");
        }

        long byteCount;
        try
        {
            byteCount = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * dtype.Size);
        }
        catch (OverflowException)
        {
            throw Bad(path, $"shape ({string.Join(", ", shape)}) is too large");
        }
        var available = stream.Length - stream.Position;
        if (available != byteCount)
        {
            throw Bad(path,
                $"data is {available} bytes but shape ({string.Join(", ", shape)}) of '{descr}' needs {byteCount} bytes");
        }
        if (byteCount > Array.MaxLength)
        {
            throw Bad(path, $"data of {byteCount} bytes is too large to read into memory at once");
        }
        var data = new byte[byteCount];
        stream.ReadExactly(data);
        return new NpyArray(descr, shape, fortran, data);
    }

    private static (T[] Data, long[] Shape) ReadTyped<T>(string path, char kind, string typeName)
        where T : unmanaged
    {
        var array = Read(path);
        var dtype = ParseDescr(array.Descr)!.Value;
        var size = Marshal.SizeOf<T>();
        if (dtype.Kind != kind || dtype.Size != size)
        {
            throw Bad(path, $"dtype '{array.Descr}' is not {typeName} ('<{kind}{size}' or '>{kind}{size}')");
        }
        var bytes = array.Data;
        if (dtype.BigEndian == BitConverter.IsLittleEndian)
        {
            bytes = (byte[])bytes.Clone();
            for (var i = 0; i < bytes.Length; i += size)
            {
                bytes.AsSpan(i, size).Reverse();
            }
        }
        var values = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
        return (ToCOrder(values, array.Shape, array.FortranOrder), array.Shape);
    }

    private static T[] ToCOrder<T>(T[] values, long[] shape, bool fortranOrder)
    {
        if (!fortranOrder || shape.Length < 2 || values.Length == 0)
        {
            return values;
        }
        var n = shape.Length;
        var stride = new long[n];
        stride[0] = 1;
        for (var k = 1; k < n; k++)
        {
            stride[k] = stride[k - 1] * shape[k - 1];
        }
        var result = new T[values.Length];
        var index = new long[n];
        long source = 0;
        for (var c = 0; c < result.Length; c++)
        {
            result[c] = values[source];
            for (var k = n - 1; k >= 0; k--)
            {
                index[k]++;
                source += stride[k];
                if (index[k] < shape[k])
                {
                    break;
                }
                source -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
        return result;
    }

    private readonly record struct DType(char Kind, int Size, bool BigEndian);

    private static DType? ParseDescr(string descr)
    {
        if (descr.Length < 2)
        {
            return null;
        }
        var order = descr[0];
        var rest = descr;
        if (order is '<' or '>' or '|' or '=')
        {
            rest = descr[1..];
        }
        else
        {
            order = '=';
        }
        if (rest.Length < 2 || !int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }
        var kind = rest[0];
        var supported = (kind, size) switch
        {
            ('f', 4 or 8) => true,
            ('i' or 'u', 1 or 2 or 4 or 8) => true,
            ('b', 1) => true,
            _ => false,
        };
        if (!supported || (order == '|' && size != 1))
        {
            return null;
        }
        var bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        return new DType(kind, size, bigEndian);
    }

    private static InvalidInputException Bad(string path, string message) => new($"{path}: {message}");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Parses the Python literal subset that .npy headers use: dict, tuple, list, str, int, True/False/None.</summary>
    private sealed class PyLiteralParser(string text)
    {
        /// <summary>
        /// A real header nests two levels (a dict holding a shape tuple); the limit keeps the recursive parser far from
        /// the stack's end on crafted headers of thousands of brackets, which would otherwise kill the process.
        /// </summary>
        private const int MaxDepth = 32;

        private int _pos;
        private int _depth;

        public Dictionary<string, object?> ParseHeader()
        {
            SkipSpace();
            if (Peek() != '{')
            {
                throw new FormatException("it does not start with '{'");
            }
            var value = (Dictionary<string, object?>)ParseValue()!;
            SkipSpace();
            if (_pos != text.Length)
            {
                throw new FormatException($"unexpected text after the dict at offset {_pos}");
            }
            return value;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private object? ParseValue()
        {
            if (++_depth > MaxDepth)
            {
                throw new FormatException($"values are nested more than {MaxDepth} levels deep at offset {_pos}");
            }
            try
            {
                return ParseValueAt();
            }
            finally
            {
                _depth--;
            }
        }

        private object? ParseValueAt()
        {
            SkipSpace();
            var c = Peek();
            switch (c)
            {
                case '{':
                    {
                        _pos++;
                        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                        while (true)
                        {
                            SkipSpace();
                            if (Peek() == '}')
                            {
                                _pos++;
                                return dict;
                            }
                            if (ParseValue() is not string key)
                            {
                                throw new FormatException($"dict key at offset {_pos} is not a string");
                            }
                            SkipSpace();
                            Expect(':');
                            dict[key] = ParseValue();
                            SkipSpace();
                            if (Peek() == ',')
                            {
                                _pos++;
                            }
                            else if (Peek() != '}')
                            {
                                throw new FormatException($"expected ',' or '}}' at offset {_pos}");
                            }
                        }
                    }
                case '(' or '[':
                    {
                        var close = c == '(' ? ')' : ']';
                        _pos++;
                        var items = new List<object?>();
                        while (true)
                        {
                            SkipSpace();
                            if (Peek() == close)
                            {
                                _pos++;
                                return items;
                            }
                            items.Add(ParseValue());
                            SkipSpace();
                            if (Peek() == ',')
                            {
                                _pos++;
                            }
                            else if (Peek() != close)
                            {
                                throw new FormatException($"expected ',' or '{close}' at offset {_pos}");
                            }
                        }
                    }
                case '\'' or '"':
                    return ParseString(c);
                default:
                    if (c is '-' or '+' || char.IsAsciiDigit(c))
                    {
                        return ParseInteger();
                    }
                    if (char.IsAsciiLetter(c))
                    {
                        var begin = _pos;
                        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                        {
                            _pos++;
                        }
                        return text[begin.._pos] switch
                        {
                            "True" => true,
                            "False" => false,
                            "None" => null,
                            var word => throw new FormatException($"unexpected name '{word}' at offset {begin}"),
                        };
                    }
                    throw new FormatException(_pos >= text.Length
                        ? "unexpected end of header"
                        : $"unexpected character '{c}' at offset {_pos}");
            }
        }

        private string ParseString(char quote)
        {
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                {
                    throw new FormatException("unterminated string");
                }
                var c = text[_pos++];
                if (c == quote)
                {
                    return sb.ToString();
                }
                if (c == '\\' && _pos < text.Length)
                {
                    var e = text[_pos++];
                    sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        private long ParseInteger()
        {
            var begin = _pos;
            if (Peek() is '-' or '+')
            {
                _pos++;
            }
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }
            var digits = text[begin.._pos];
            if (Peek() is 'L' or 'l')
            {
                _pos++; // Python 2 long suffix, written by old numpy versions.
            }
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"'{digits}' at offset {begin} is not an integer");
            }
            return value;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"expected '{c}' at offset {_pos}");
            }
            _pos++;
        }
    }
}
