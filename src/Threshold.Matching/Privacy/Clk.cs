using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Threshold.Matching.Csv;
using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Privacy;

/// <summary>A cryptographic long-term key (CLK): a 1024-bit Bloom filter encoding of one person.</summary>
public sealed class ClkEncoding
{
    public const int Bits = 1024;
    public const int Words = Bits / 64;

    public ClkEncoding(string id, ulong[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Length != Words)
        {
            throw new ArgumentException($"A CLK has {Words} 64-bit words.", nameof(words));
        }

        Id = id;
        Data = words;
        PopCount = words.Sum(w => BitOperations.PopCount(w));
    }

    public string Id { get; }
    internal ulong[] Data { get; }
    public int PopCount { get; }

    public string ToBase64()
    {
        var bytes = new byte[Words * 8];
        for (var i = 0; i < Words; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(i * 8), Data[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    public static ClkEncoding FromBase64(string id, string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length != Words * 8)
        {
            throw new FormatException($"A CLK is {Words * 8} bytes; this one is {bytes.Length}.");
        }

        var words = new ulong[Words];
        for (var i = 0; i < Words; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i * 8));
        }

        return new ClkEncoding(id, words);
    }

    /// <summary>Dice coefficient 2|A∩B| / (|A| + |B|), on 64-bit popcounts.</summary>
    public static double Dice(ClkEncoding a, ClkEncoding b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var total = a.PopCount + b.PopCount;
        return total == 0 ? 0 : 2.0 * Intersection(a.Data, b.Data) / total;
    }

    internal static int Intersection(ulong[] a, ulong[] b)
    {
        // Sixteen words, unrolled: after one length check the JIT drops every bounds check.
        ReadOnlySpan<ulong> x = a;
        ReadOnlySpan<ulong> y = b;
        if (x.Length < Words || y.Length < Words)
        {
            throw new ArgumentException("A CLK has 16 words.");
        }

        return BitOperations.PopCount(x[0] & y[0]) + BitOperations.PopCount(x[1] & y[1])
            + BitOperations.PopCount(x[2] & y[2]) + BitOperations.PopCount(x[3] & y[3])
            + BitOperations.PopCount(x[4] & y[4]) + BitOperations.PopCount(x[5] & y[5])
            + BitOperations.PopCount(x[6] & y[6]) + BitOperations.PopCount(x[7] & y[7])
            + BitOperations.PopCount(x[8] & y[8]) + BitOperations.PopCount(x[9] & y[9])
            + BitOperations.PopCount(x[10] & y[10]) + BitOperations.PopCount(x[11] & y[11])
            + BitOperations.PopCount(x[12] & y[12]) + BitOperations.PopCount(x[13] & y[13])
            + BitOperations.PopCount(x[14] & y[14]) + BitOperations.PopCount(x[15] & y[15]);
    }
}

/// <summary>
/// Encodes persons as CLKs after the published clkhash design (Schnell, Bachteler and Reiher
/// 2009/2011; the clkhash schema v3 approach): each field's value is normalised, padded and cut
/// into bigrams; each bigram sets k bits chosen by double hashing with HMAC-SHA256 under a key
/// derived for that field from the shared secret with HKDF-SHA256; all fields share one 1024-bit
/// filter. Caveats (as clkhash states them): Bloom-filter encodings can be attacked by frequency
/// analysis when an attacker holds many encodings and knows the population, so the secret must be
/// shared only between the linking agencies, encodings are personal data still, and the
/// secret should be rotated per project.
/// </summary>
public sealed class ClkEncoder
{
    private readonly (string Name, int K, Func<NormalisedPerson, string> Value, byte[] Key)[] _fields;
    private readonly PersonNormaliser _normaliser = new();

    /// <param name="secret">The secret shared by the agencies (at least 16 bytes).</param>
    public ClkEncoder(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The CLK secret must be at least 16 bytes.", nameof(secret));
        }

        var schema = new (string Name, int K, Func<NormalisedPerson, string> Value)[]
        {
            ("given_name", 20, p => p.Given),
            ("family_name", 20, p => p.Family),
            ("date_of_birth", 12, p => p.DateOfBirth.Digits),
            ("street_number", 10, p => p.StreetNumber),
            ("address_1", 8, p => p.AddressLine1),
            ("address_2", 8, p => p.AddressLine2),
            ("town", 10, p => p.Town),
            ("postcode", 12, p => p.Postcode.Full),
            ("email", 10, p => p.Email),
            ("phone", 12, p => p.Phone),
        };
        var secretBytes = secret.ToArray();
        _fields = schema.Select(f => (f.Name, f.K, f.Value,
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secretBytes, 32, Encoding.UTF8.GetBytes("threshold-clk-v1"), Encoding.UTF8.GetBytes("field:" + f.Name)))).ToArray();
    }

    public ClkEncoding Encode(PersonRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var person = _normaliser.Normalise(record);
        var words = new ulong[ClkEncoding.Words];
        Span<byte> token = stackalloc byte[8];
        Span<byte> hash = stackalloc byte[32];
        foreach (var (_, k, value, key) in _fields)
        {
            var text = value(person);
            if (text.Length == 0)
            {
                continue;
            }

            var padded = " " + text + " ";
            for (var i = 0; i + 1 < padded.Length; i++)
            {
                var written = Encoding.UTF8.GetBytes(padded.AsSpan(i, 2), token);
                HMACSHA256.HashData(key, token[..written], hash);
                var h1 = BinaryPrimitives.ReadUInt64LittleEndian(hash);
                var h2 = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]) | 1;
                for (var j = 0UL; j < (ulong)k; j++)
                {
                    var bit = (int)((h1 + (j * h2)) % ClkEncoding.Bits);
                    words[bit >> 6] |= 1UL << (bit & 63);
                }
            }
        }

        return new ClkEncoding(record.Id, words);
    }
}

/// <summary>
/// Many CLKs laid out in one contiguous array (16 words each) with their popcounts, so a probe
/// is compared against all of them at memory speed.
/// </summary>
public sealed class ClkSet
{
    private readonly ulong[] _words;
    private readonly int[] _counts;
    private readonly string[] _ids;

    public ClkSet(IReadOnlyList<ClkEncoding> encodings)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        _words = new ulong[encodings.Count * ClkEncoding.Words];
        _counts = new int[encodings.Count];
        _ids = new string[encodings.Count];
        for (var i = 0; i < encodings.Count; i++)
        {
            encodings[i].Data.CopyTo(_words, i * ClkEncoding.Words);
            _counts[i] = encodings[i].PopCount;
            _ids[i] = encodings[i].Id;
        }
    }

    public int Count => _counts.Length;

    public string IdAt(int index) => _ids[index];

    /// <summary>Writes the Dice coefficient of <paramref name="probe"/> with every member to <paramref name="scores"/>.</summary>
    public void Dice(ClkEncoding probe, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (scores.Length < Count)
        {
            throw new ArgumentException("One score per member is needed.", nameof(scores));
        }

        ReadOnlySpan<ulong> p = probe.Data;
        if (p.Length < ClkEncoding.Words)
        {
            throw new ArgumentException("A CLK has 16 words.", nameof(probe));
        }

        ReadOnlySpan<ulong> all = _words;
        var probeCount = probe.PopCount;
        for (var i = 0; i < _counts.Length; i++)
        {
            var x = all.Slice(i * ClkEncoding.Words, ClkEncoding.Words);
            var common = BitOperations.PopCount(x[0] & p[0]) + BitOperations.PopCount(x[1] & p[1])
                + BitOperations.PopCount(x[2] & p[2]) + BitOperations.PopCount(x[3] & p[3])
                + BitOperations.PopCount(x[4] & p[4]) + BitOperations.PopCount(x[5] & p[5])
                + BitOperations.PopCount(x[6] & p[6]) + BitOperations.PopCount(x[7] & p[7])
                + BitOperations.PopCount(x[8] & p[8]) + BitOperations.PopCount(x[9] & p[9])
                + BitOperations.PopCount(x[10] & p[10]) + BitOperations.PopCount(x[11] & p[11])
                + BitOperations.PopCount(x[12] & p[12]) + BitOperations.PopCount(x[13] & p[13])
                + BitOperations.PopCount(x[14] & p[14]) + BitOperations.PopCount(x[15] & p[15]);
            var total = probeCount + _counts[i];
            scores[i] = total == 0 ? 0 : 2f * common / total;
        }
    }
}

/// <summary>Links two sets of CLKs on Dice similarity alone.</summary>
public static class EncodedLinker
{
    /// <summary>
    /// Pairs with Dice ≥ <paramref name="threshold"/>, best first. All pairs are compared (the
    /// comparison runs at hundreds of millions a second). Without <paramref name="oneToOne"/>, every
    /// such pair. With it, greedy best-first assignment over each record's
    /// <paramref name="candidatesPerRecord"/> best candidates, on both sides (as anonlink's solver
    /// keeps its top <c>k</c>): at low thresholds a large share of all pairs pass, and keeping them
    /// all would make memory grow with the product of the two sets. On FEBRL dataset 4 the
    /// assignment is the same as over all pairs.
    /// </summary>
    public static IReadOnlyList<(string LeftId, string RightId, double Dice)> Link(
        IReadOnlyList<ClkEncoding> left, IReadOnlyList<ClkEncoding> right, double threshold = 0.6, bool oneToOne = true, int candidatesPerRecord = 10)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerRecord, 1);
        var keep = oneToOne ? candidatesPerRecord : int.MaxValue;
        var all = Candidates(left, right, threshold, keep, swap: false);
        if (oneToOne)
        {
            var seen = all.Select(p => ((long)p.L * right.Count) + p.R).ToHashSet();
            all.AddRange(Candidates(right, left, threshold, keep, swap: true).Where(p => seen.Add(((long)p.L * right.Count) + p.R)));
        }

        all.Sort((a, b) =>
        {
            var byDice = b.Dice.CompareTo(a.Dice);
            return byDice != 0 ? byDice : a.L != b.L ? a.L.CompareTo(b.L) : a.R.CompareTo(b.R);
        });
        var result = new List<(string, string, double)>();
        var usedLeft = new bool[left.Count];
        var usedRight = new bool[right.Count];
        foreach (var (l, r, dice) in all)
        {
            if (oneToOne)
            {
                if (usedLeft[l] || usedRight[r])
                {
                    continue;
                }

                usedLeft[l] = usedRight[r] = true;
            }

            result.Add((left[l].Id, right[r].Id, dice));
        }

        return result;
    }

    /// <summary>For each probe, its best <paramref name="keep"/> members of <paramref name="members"/> at or above the threshold, as (left, right, Dice).</summary>
    private static List<(int L, int R, double Dice)> Candidates(
        IReadOnlyList<ClkEncoding> probes, IReadOnlyList<ClkEncoding> members, double threshold, int keep, bool swap)
    {
        var set = new ClkSet(members);
        var found = new List<(int L, int R, double Dice)>[probes.Count];
        Parallel.For(0, probes.Count, () => new float[set.Count], (p, _, scores) =>
        {
            set.Dice(probes[p], scores);
            var list = new List<(int L, int R, double Dice)>();
            for (var m = 0; m < scores.Length; m++)
            {
                if (scores[m] < threshold)
                {
                    continue;
                }

                var pair = swap ? (m, p, scores[m]) : (p, m, scores[m]);
                if (list.Count < keep)
                {
                    list.Add(pair);
                    continue;
                }

                // Keep only the best: replace the weakest when this one is better.
                var weakest = 0;
                for (var i = 1; i < list.Count; i++)
                {
                    if (list[i].Dice < list[weakest].Dice)
                    {
                        weakest = i;
                    }
                }

                if (scores[m] > list[weakest].Dice)
                {
                    list[weakest] = pair;
                }
            }

            found[p] = list;
            return scores;
        }, _ => { });
        return found.SelectMany(f => f).ToList();
    }
}

/// <summary>Reads and writes CLKs as CSV: <c>id,clk</c> with the CLK in base64.</summary>
public static class ClkCsv
{
    public static void Write(TextWriter writer, IEnumerable<ClkEncoding> encodings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(encodings);
        writer.WriteLine("id,clk");
        foreach (var e in encodings)
        {
            writer.Write(PersonCsv.Escape(e.Id));
            writer.Write(',');
            writer.WriteLine(e.ToBase64());
        }
    }

    /// <summary>Reads <c>id,clk</c> rows; a row that is not a CLK, or repeats an earlier row's id, is reported through <paramref name="warning"/> and skipped.</summary>
    public static IEnumerable<ClkEncoding> Read(TextReader reader, Action<CsvWarning>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadIterator(reader, warning);
    }

    private static IEnumerable<ClkEncoding> ReadIterator(TextReader reader, Action<CsvWarning>? warning)
    {
        var header = reader.ReadLine() ?? throw new CsvFormatException("The encodings file is empty: expected the header 'id,clk'.");
        if (!header.Replace(" ", "", StringComparison.Ordinal).Equals("id,clk", StringComparison.OrdinalIgnoreCase))
        {
            throw new CsvFormatException("The encodings file does not start with the header 'id,clk'.");
        }

        long line = 1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } text)
        {
            line++;
            var rowLine = line;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var fields = PersonCsv.SplitLine(text, reader, ref line);
            ClkEncoding? encoding = null;
            try
            {
                encoding = fields.Count == 2 ? ClkEncoding.FromBase64(fields[0], fields[1]) : null;
            }
            catch (FormatException)
            {
                encoding = null;
            }

            if (encoding is null)
            {
                warning?.Invoke(new CsvWarning(rowLine, string.Create(CultureInfo.InvariantCulture, $"not an id and a {ClkEncoding.Bits}-bit CLK in base64; row skipped")));
                continue;
            }

            if (!seen.Add(encoding.Id))
            {
                warning?.Invoke(new CsvWarning(rowLine, $"duplicate id '{encoding.Id}'; row skipped (the first row with this id is kept)"));
                continue;
            }

            yield return encoding;
        }
    }
}
