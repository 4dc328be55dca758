using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace AutoSpec.Data;

/// <summary>
/// Inflates a gzip file and, at its end, checks the output against the trailer (CRC-32 and length mod 2³², the
/// file's last 8 bytes). <see cref="GZipStream"/> alone reports a file cut at a deflate flush point as a clean end
/// of data, so a truncated table would load its first rows without complaint.
/// </summary>
/// <remarks>
/// Only single-member files pass (what gzip, pigz, Python and R write); a file of several concatenated members
/// (bgzip) fails the check and must be recompressed as one stream. Damage is reported as
/// <see cref="InvalidDataException"/> with a one-line reason.
/// </remarks>
internal sealed class VerifiedGzipStream : Stream
{
    private readonly GZipStream _inner;
    private readonly Crc32 _crc = new();
    private readonly uint? _expectedCrc;
    private readonly uint _expectedLength;
    private long _length;
    private bool _verified;

    /// <summary>Starts inflating <paramref name="file"/> (seekable, positioned anywhere; owned by this stream).</summary>
    public VerifiedGzipStream(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        // Header (10) + empty deflate (2) + trailer (8) is the smallest gzip file.
        if (file.Length >= 20)
        {
            Span<byte> trailer = stackalloc byte[8];
            file.Seek(-8, SeekOrigin.End);
            file.ReadExactly(trailer);
            _expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            _expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        }
        file.Seek(0, SeekOrigin.Begin);
        _inner = new GZipStream(file, CompressionMode.Decompress);
    }

    /// <summary>Bytes inflated so far.</summary>
    public long Inflated => _length;

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // zlib's own words mislead here (a wrong CRC reads as "unsupported compression method").
            throw new InvalidDataException($"the gzip data is damaged: it fails to inflate after {_length} bytes (wrong CRC, corrupted or truncated)", e);
        }
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (buffer.Length > 0 && !_verified)
        {
            Verify();
        }
        return n;
    }

    private void Verify()
    {
        _verified = true;
        if (_expectedCrc is not uint crc || crc != _crc.GetCurrentHashAsUInt32() || (uint)_length != _expectedLength)
        {
            throw new InvalidDataException(
                $"the gzip data ends after {_length} inflated bytes without a matching trailer (CRC-32/length): the file is truncated or damaged (or holds several gzip members; recompress it as one)");
        }
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
