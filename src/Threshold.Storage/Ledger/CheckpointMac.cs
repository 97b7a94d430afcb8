using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Threshold.Storage.Ledger;

/// <summary>
/// What a chain checkpoint's authentication tag covers, and how it is made and checked.
/// <para>The tag is HMAC-SHA256, under the agency's 256-bit secret key (<see cref="AgencyKeyRing"/>), of</para>
/// <code>str("threshold.checkpoint.v2") str(agency_id) i64(sequence) head_hash (32 raw bytes)</code>
/// <para>with the same <c>str</c>/<c>i64</c> encoding as <see cref="ChainHash"/>; it is stored as its 32 bytes
/// in <c>ledger_checkpoints.signature</c>. (v1 was an ECDSA P-256 signature over the same fields: with the
/// private key beside the database and read by verify, it vouched for nothing a keyed MAC does not.)</para>
/// </summary>
public static class CheckpointMac
{
    /// <summary>Bytes in a tag (HMAC-SHA256).</summary>
    public const int Size = 32;

    /// <summary>Bytes in an agency's key (256 bits).</summary>
    public const int KeySize = 32;

    private static ReadOnlySpan<byte> FormatTag => "threshold.checkpoint.v2"u8;

    /// <summary>The bytes that are authenticated for a chain whose last event has <paramref name="sequence"/> and <paramref name="headHash"/>.</summary>
    public static byte[] Message(string agencyId, long sequence, ReadOnlySpan<byte> headHash)
    {
        if (headHash.Length != ChainHash.Size)
        {
            throw new ArgumentException($"A head hash has {ChainHash.Size} bytes, not {headHash.Length}.", nameof(headHash));
        }
        var agency = Encoding.UTF8.GetBytes(agencyId);
        var message = new byte[4 + FormatTag.Length + 4 + agency.Length + 8 + ChainHash.Size];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)FormatTag.Length);
        FormatTag.CopyTo(span[4..]);
        span = span[(4 + FormatTag.Length)..];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)agency.Length);
        agency.CopyTo(span[4..]);
        span = span[(4 + agency.Length)..];
        BinaryPrimitives.WriteInt64BigEndian(span, sequence);
        headHash.CopyTo(span[8..]);
        return message;
    }

    /// <summary>The tag of a checkpoint, under <paramref name="key"/> (<see cref="KeySize"/> bytes).</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, string agencyId, long sequence, ReadOnlySpan<byte> headHash)
    {
        RequireKey(key);
        return HMACSHA256.HashData(key, Message(agencyId, sequence, headHash));
    }

    /// <summary>
    /// The tag of a checkpoint through <paramref name="hmac"/>, an HMAC-SHA256 of the agency's key kept for reuse
    /// (<see cref="IncrementalHash.CreateHMAC(HashAlgorithmName, ReadOnlySpan{byte})"/>): the key is not set up again each time.
    /// </summary>
    public static byte[] Compute(IncrementalHash hmac, string agencyId, long sequence, ReadOnlySpan<byte> headHash)
    {
        ArgumentNullException.ThrowIfNull(hmac);
        if (hmac.HashLengthInBytes != Size)
        {
            throw new ArgumentException("Checkpoint tags are HMAC-SHA256.", nameof(hmac));
        }
        hmac.AppendData(Message(agencyId, sequence, headHash));
        return hmac.GetHashAndReset();
    }

    /// <summary>True when <paramref name="tag"/> is the checkpoint's tag under <paramref name="key"/>; compared in constant time.</summary>
    public static bool IsValid(ReadOnlySpan<byte> key, string agencyId, long sequence, ReadOnlySpan<byte> headHash, ReadOnlySpan<byte> tag)
    {
        if (headHash.Length != ChainHash.Size || tag.Length != Size)
        {
            return false;
        }
        var expected = Compute(key, agencyId, sequence, headHash);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    private static void RequireKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A checkpoint key has {KeySize} bytes, not {key.Length}.", nameof(key));
        }
    }
}
