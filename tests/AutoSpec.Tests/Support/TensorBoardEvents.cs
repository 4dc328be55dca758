using System.Buffers.Binary;
using System.Text;

namespace AutoSpec.Tests.Support;

/// <summary>
/// Reads TensorBoard event files independently of the writer: TFRecord framing (uint64 length, masked CRC-32C of the
/// length, data, masked CRC-32C of the data; every CRC checked with <see cref="Crc32C"/>) and a minimal protobuf
/// decoder of <c>Event</c> (wall_time = 1, step = 2, file_version = 3, summary = 5) and <c>Summary.Value</c>
/// (tag = 1, simple_value = 2).
/// </summary>
public static class TensorBoardEvents
{
    public sealed record Scalar(string Tag, float Value);

    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<Scalar> Scalars);

    /// <summary>Every event of one file; throws on a bad CRC, a truncated record or malformed protobuf.</summary>
    public static List<Event> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12)
            {
                throw new InvalidDataException($"{path}: truncated record header at byte {at}");
            }
            var lengthBytes = bytes.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4));
            if (lengthCrc != Crc32C.Masked(lengthBytes))
            {
                throw new InvalidDataException($"{path}: bad length CRC at byte {at}");
            }
            if (length > (ulong)(bytes.Length - at - 16))
            {
                throw new InvalidDataException($"{path}: record at byte {at} runs past the end");
            }
            var data = bytes.AsSpan(at + 12, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4));
            if (dataCrc != Crc32C.Masked(data))
            {
                throw new InvalidDataException($"{path}: bad data CRC at byte {at}");
            }
            events.Add(ParseEvent(data.ToArray()));
            at += 16 + (int)length;
        }
        return events;
    }

    private static Event ParseEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<Scalar>();
        foreach (var (field, wire, value, bytes) in Fields(data))
        {
            switch (field)
            {
                case 1 when wire == 1:
                    wallTime = BitConverter.Int64BitsToDouble((long)value);
                    break;
                case 2 when wire == 0:
                    step = (long)value;
                    break;
                case 3 when wire == 2:
                    fileVersion = Encoding.UTF8.GetString(bytes!);
                    break;
                case 5 when wire == 2:
                    foreach (var (f, w, _, valueBytes) in Fields(bytes!))
                    {
                        if (f == 1 && w == 2)
                        {
                            scalars.Add(ParseValue(valueBytes!));
                        }
                    }
                    break;
            }
        }
        return new Event(wallTime, step, fileVersion, scalars);
    }

    private static Scalar ParseValue(byte[] data)
    {
        string? tag = null;
        float? value = null;
        foreach (var (field, wire, raw, bytes) in Fields(data))
        {
            if (field == 1 && wire == 2)
            {
                tag = Encoding.UTF8.GetString(bytes!);
            }
            else if (field == 2 && wire == 5)
            {
                value = BitConverter.Int32BitsToSingle((int)raw);
            }
        }
        return new Scalar(tag ?? throw new InvalidDataException("summary value without a tag"),
            value ?? throw new InvalidDataException($"summary value '{tag}' without simple_value"));
    }

    /// <summary>The fields of a protobuf message: number, wire type, the integer of varint/fixed ones, the bytes of length-delimited ones.</summary>
    private static IEnumerable<(int Field, int Wire, ulong Value, byte[]? Bytes)> Fields(byte[] data)
    {
        int at = 0;
        while (at < data.Length)
        {
            ulong key = Varint(data, ref at);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    yield return (field, wire, Varint(data, ref at), null);
                    break;
                case 1:
                    yield return (field, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8)), null);
                    at += 8;
                    break;
                case 2:
                    int length = checked((int)Varint(data, ref at));
                    yield return (field, wire, 0, data.AsSpan(at, length).ToArray());
                    at += length;
                    break;
                case 5:
                    yield return (field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at, 4)), null);
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"unexpected protobuf wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[at++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new InvalidDataException("varint longer than 10 bytes");
    }
}
