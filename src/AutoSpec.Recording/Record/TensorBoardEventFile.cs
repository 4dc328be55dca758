using System.Buffers.Binary;
using Google.Protobuf;
using Tensorboard;

namespace AutoSpec.Record;

/// <summary>
/// One TensorBoard event file, kept open while a run writes it: TFRecord records (length, masked CRC-32C of the
/// length, a serialised <c>Event</c>, masked CRC-32C of it) of TorchSharp's TensorBoard protobuf types.
/// </summary>
/// <remarks>
/// TorchSharp's <c>SummaryWriter</c> writes the same records but opens and closes the file for every scalar and puts
/// one scalar in each event: about 75 µs a scalar on this project's machine, seconds per run for the hundreds of
/// values a recorded step yields. Here a step's values of one layer share one event (a summary holds any number of
/// values) and the file stays open; only the record framing, a few lines, is written by hand.
/// </remarks>
internal sealed class TensorBoardEventFile : IDisposable
{
    private static int _created;
    private readonly FileStream _stream;
    private bool _closed;

    /// <summary>Creates a new event file in <paramref name="directory"/> (created when missing), never replacing a file.</summary>
    public TensorBoardEventFile(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        // TensorBoard reads every file whose name holds "tfevents"; the usual name, made unique by process and counter.
        string stem = $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}";
        while (true)
        {
            Path = System.IO.Path.Combine(directory, $"{stem}.{Interlocked.Increment(ref _created)}");
            try
            {
                _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                break;
            }
            catch (IOException) when (File.Exists(Path))
            {
                // Someone else's file of that name: take the next counter.
            }
        }
        Write(new Event { WallTime = Now(), FileVersion = "brain.Event:2" });
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Appends one event with the scalars <paramref name="values"/> (tag, value) at <paramref name="step"/>.</summary>
    public void WriteScalars(long step, IEnumerable<(string Tag, float Value)> values)
    {
        var summary = new Summary();
        foreach (var (tag, value) in values)
        {
            summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = value });
        }
        if (summary.Value.Count > 0)
        {
            Write(new Event { WallTime = Now(), Step = step, Summary = summary });
        }
    }

    /// <summary>Hands what was written to the operating system, so that TensorBoard sees it.</summary>
    public void Flush()
    {
        if (!_closed)
        {
            _stream.Flush();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _closed = true;
        _stream.Dispose();
    }

    private void Write(Event e)
    {
        byte[] data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Masked(TorchSharp.Utils.CRC32C.process(header[..8].ToArray())));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Masked(TorchSharp.Utils.CRC32C.process(data)));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }

    // TFRecord's masking of a stored CRC (rotate right by 15 bits, add a constant), so that a CRC of data holding CRCs stays strong.
    private static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
