namespace Threshold.Matching.Scoring;

/// <summary>Allocation-free string similarities used by the comparison levels.</summary>
public static class StringSimilarity
{
    /// <summary>Jaro–Winkler similarity in [0, 1] with the usual prefix scale 0.1 over up to four characters.</summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var jaro = Jaro(a, b);
        if (jaro <= 0.7)
        {
            return jaro;
        }

        var prefix = 0;
        var max = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < max && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    /// <summary>Jaro similarity in [0, 1].</summary>
    public static double Jaro(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a.SequenceEqual(b))
        {
            return 1;
        }

        if (a.Length > 64 || b.Length > 64)
        {
            a = a[..Math.Min(64, a.Length)];
            b = b[..Math.Min(64, b.Length)];
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var positions = t_positions ??= new ulong[128];
        if (!IsAscii(b))
        {
            return JaroByScan(a, b, window);
        }

        // Bit-parallel matching: for each character of b, the set of positions where it occurs;
        // a character of a takes the first unmatched occurrence inside its window.
        for (var j = 0; j < b.Length; j++)
        {
            positions[b[j]] |= 1UL << j;
        }

        ulong matchedA = 0, matchedB = 0;
        var matches = 0;
        var lastB = b.Length - 1;
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            if (c >= 128)
            {
                continue;
            }

            var from = Math.Max(0, i - window);
            var to = Math.Min(lastB, i + window);
            if (from > to)
            {
                continue;
            }

            var inWindow = (ulong.MaxValue >> (63 - to)) & (ulong.MaxValue << from);
            var free = positions[c] & inWindow & ~matchedB;
            if (free != 0)
            {
                matchedB |= free & (0 - free);
                matchedA |= 1UL << i;
                matches++;
            }
        }

        for (var j = 0; j < b.Length; j++)
        {
            positions[b[j]] = 0;
        }

        if (matches == 0)
        {
            return 0;
        }

        // Transpositions: the k-th matched character of a against the k-th matched character of b.
        var transpositions = 0;
        while (matchedA != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(matchedA);
            var j = System.Numerics.BitOperations.TrailingZeroCount(matchedB);
            if (a[i] != b[j])
            {
                transpositions++;
            }

            matchedA &= matchedA - 1;
            matchedB &= matchedB - 1;
        }

        return Score(matches, transpositions, a.Length, b.Length);
    }

    [ThreadStatic]
    private static ulong[]? t_positions;

    private static bool IsAscii(ReadOnlySpan<char> s) => System.Text.Ascii.IsValid(s);

    private static double Score(int matches, int transpositions, int lengthA, int lengthB)
    {
        double m = matches;
        return ((m / lengthA) + (m / lengthB) + ((m - (transpositions / 2)) / m)) / 3.0;
    }

    /// <summary>The textbook Jaro scan, used when b holds characters outside ASCII.</summary>
    private static double JaroByScan(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int window)
    {
        ulong matchedA = 0, matchedB = 0;
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            var c = a[i];
            for (var j = from; j <= to; j++)
            {
                if ((matchedB & (1UL << j)) == 0 && b[j] == c)
                {
                    matchedA |= 1UL << i;
                    matchedB |= 1UL << j;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if ((matchedA & (1UL << i)) == 0)
            {
                continue;
            }

            while ((matchedB & (1UL << k)) == 0)
            {
                k++;
            }

            if (a[i] != b[k])
            {
                transpositions++;
            }

            k++;
        }

        return Score(matches, transpositions, a.Length, b.Length);
    }

    /// <summary>
    /// Levenshtein distance if it is at most <paramref name="limit"/>, else <paramref name="limit"/> + 1.
    /// An adjacent transposition counts as one edit (optimal string alignment).
    /// </summary>
    public static int BoundedEditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }

        if (a.Length > 62 || b.Length > 62)
        {
            return a.SequenceEqual(b) ? 0 : limit + 1;
        }

        Span<int> previous2 = stackalloc int[b.Length + 1];
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            var spare = previous2;
            previous2 = previous;
            previous = current;
            current = spare;
        }

        return Math.Min(previous[b.Length], limit + 1);
    }
}
