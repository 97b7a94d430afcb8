using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// The one place that defines what an event's <c>hash</c> covers. Appends and verification both call
/// this class, so the encoding cannot drift between writer and checker.
/// <para>
/// The hash is SHA-256 over this byte string (documented in <c>src/Threshold.Storage/README.md</c>):
/// </para>
/// <code>
/// str("threshold.event.v1")
/// str(agency_id)  i64(sequence)
/// str(stream_id)  i64(stream_version)
/// str(event_type) str(payload)
/// str(actor)      str(recorded_at)
/// prev_hash (32 raw bytes)
/// </code>
/// <para>where <c>str(x)</c> is a 4-byte big-endian length followed by x's UTF-8 bytes and <c>i64(n)</c> is
/// 8 bytes big-endian. Every variable-length field is length-prefixed and every integer has a fixed width,
/// so no two different rows encode to the same bytes (moving a character from one field to the next
/// changes a length prefix).</para>
/// </summary>
public static class ChainHash
{
    /// <summary>Bytes in a hash (SHA-256).</summary>
    public const int Size = 32;

    /// <summary>The format of <c>recorded_at</c>: fixed-width UTC, so the text (which the hash covers) has one spelling per instant.</summary>
    public const string RecordedAtFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    /// <summary>Names this encoding, so a future encoding can never collide with it.</summary>
    private static ReadOnlySpan<byte> FormatTag => "threshold.event.v1"u8;

    /// <summary>The <c>prev_hash</c> of the first event of every chain.</summary>
    public static ReadOnlySpan<byte> Genesis => new byte[Size];

    /// <summary>Strict UTF-8: a string holding a lone surrogate cannot be stored byte for byte, so it is refused rather than silently replaced.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string FormatRecordedAt(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(RecordedAtFormat, CultureInfo.InvariantCulture);

    /// <summary>Hashes an event given as .NET strings (the append path).</summary>
    public static byte[] Compute(
        string agencyId, long sequence, string streamId, long streamVersion, string eventType,
        string payload, string actor, string recordedAt, ReadOnlySpan<byte> previousHash)
    {
        var hash = new byte[Size];
        Compute(agencyId, sequence, streamId, streamVersion, eventType, payload, actor, recordedAt, previousHash, hash);
        return hash;
    }

    public static void Compute(
        string agencyId, long sequence, string streamId, long streamVersion, string eventType,
        string payload, string actor, string recordedAt, ReadOnlySpan<byte> previousHash, Span<byte> destination)
    {
        var length = EncodedLength(
            StrictUtf8.GetByteCount(agencyId), StrictUtf8.GetByteCount(streamId), StrictUtf8.GetByteCount(eventType),
            StrictUtf8.GetByteCount(payload), StrictUtf8.GetByteCount(actor), StrictUtf8.GetByteCount(recordedAt));
        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var w = new Writer(buffer);
            w.Text(FormatTag);
            w.Text(agencyId);
            w.Int64(sequence);
            w.Text(streamId);
            w.Int64(streamVersion);
            w.Text(eventType);
            w.Text(payload);
            w.Text(actor);
            w.Text(recordedAt);
            w.Hash(previousHash);
            SHA256.HashData(buffer[..w.Written], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The length of the encoding of an event whose text fields have these UTF-8 byte counts.</summary>
    public static int EncodedLength(int agencyId, int streamId, int eventType, int payload, int actor, int recordedAt) =>
        checked((4 + FormatTag.Length) + (4 + agencyId) + 8 + (4 + streamId) + 8 + (4 + eventType) + (4 + payload) + (4 + actor) + (4 + recordedAt) + Size);

    /// <summary>
    /// Writes the encoding of an event given as the UTF-8 bytes read back from the database (the verify path,
    /// which hashes the stored bytes as they are, never decoded and re-encoded). Returns the bytes written;
    /// <paramref name="destination"/> must hold <see cref="EncodedLength"/> bytes.
    /// </summary>
    public static int Encode(
        ReadOnlySpan<byte> agencyId, long sequence, ReadOnlySpan<byte> streamId, long streamVersion,
        ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> actor,
        ReadOnlySpan<byte> recordedAt, ReadOnlySpan<byte> previousHash, Span<byte> destination)
    {
        var w = new Writer(destination);
        w.Text(FormatTag);
        w.Text(agencyId);
        w.Int64(sequence);
        w.Text(streamId);
        w.Int64(streamVersion);
        w.Text(eventType);
        w.Text(payload);
        w.Text(actor);
        w.Text(recordedAt);
        w.Hash(previousHash);
        return w.Written;
    }

    /// <summary>Hashes an event given as stored UTF-8 bytes.</summary>
    public static byte[] Compute(
        ReadOnlySpan<byte> agencyId, long sequence, ReadOnlySpan<byte> streamId, long streamVersion,
        ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> actor,
        ReadOnlySpan<byte> recordedAt, ReadOnlySpan<byte> previousHash)
    {
        var buffer = new byte[EncodedLength(agencyId.Length, streamId.Length, eventType.Length, payload.Length, actor.Length, recordedAt.Length)];
        var written = Encode(agencyId, sequence, streamId, streamVersion, eventType, payload, actor, recordedAt, previousHash, buffer);
        return SHA256.HashData(buffer.AsSpan(0, written));
    }

    /// <summary>Appends fields to a span; the caller has sized it with <see cref="EncodedLength"/>.</summary>
    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Written { get; private set; }

        public void Text(ReadOnlySpan<byte> utf8)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[Written..], (uint)utf8.Length);
            utf8.CopyTo(_buffer[(Written + 4)..]);
            Written += 4 + utf8.Length;
        }

        public void Text(string text)
        {
            var count = StrictUtf8.GetBytes(text, _buffer[(Written + 4)..]);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[Written..], (uint)count);
            Written += 4 + count;
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(_buffer[Written..], value);
            Written += 8;
        }

        public void Hash(ReadOnlySpan<byte> hash)
        {
            if (hash.Length != Size)
            {
                throw new ArgumentException($"A chain hash has {Size} bytes, not {hash.Length}.", nameof(hash));
            }
            hash.CopyTo(_buffer[Written..]);
            Written += Size;
        }
    }
}
