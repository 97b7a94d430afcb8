using Threshold.Matching.Scoring;

namespace Threshold.Matching.Tests.Scoring;

public class StringSimilarityTests
{
    // Reference values from Winkler (1990) as commonly reproduced.
    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.840)]
    [InlineData("dixon", "dicksonx", 0.813)]
    public void JaroWinkler_MatchesPublishedValues(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);

    [Fact]
    public void JaroWinkler_IsOneForEqualAndZeroForDisjoint()
    {
        Assert.Equal(1.0, StringSimilarity.JaroWinkler("morgan", "morgan"));
        Assert.Equal(0.0, StringSimilarity.JaroWinkler("abc", "xyz"));
        Assert.Equal(0.0, StringSimilarity.JaroWinkler("", "xyz"));
    }

    [Theory]
    [InlineData("sarah", "arah", 2, 1)]
    [InlineData("kitten", "sitting", 3, 3)]
    [InlineData("kitten", "sitting", 2, 3)]
    [InlineData("ab", "ba", 2, 1)]
    [InlineData("", "abc", 5, 3)]
    public void BoundedEditDistance_CountsEditsUpToTheLimit(string a, string b, int limit, int expected) =>
        Assert.Equal(expected, StringSimilarity.BoundedEditDistance(a, b, limit));

    // The bit-parallel Jaro must give exactly what the textbook scan gives: random strings over a
    // small alphabet (so characters repeat and windows matter), lengths 0 to 40, plus non-ASCII.
    [Fact]
    public void Jaro_AgreesWithTheTextbookScanOnRandomStrings()
    {
        var random = new Random(7);
        const string alphabet = "abcdeé -";
        for (var n = 0; n < 20_000; n++)
        {
            var a = RandomString(random, alphabet, random.Next(0, 41));
            var b = RandomString(random, alphabet, random.Next(0, 41));
            Assert.Equal(TextbookJaro(a, b), StringSimilarity.Jaro(a, b), 12);
        }
    }

    private static string RandomString(Random random, string alphabet, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    private static double TextbookJaro(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return 1;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var usedA = new bool[a.Length];
        var usedB = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - window); j <= Math.Min(b.Length - 1, i + window); j++)
            {
                if (!usedB[j] && a[i] == b[j])
                {
                    usedA[i] = usedB[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var matchedA = a.Where((_, i) => usedA[i]).ToArray();
        var matchedB = b.Where((_, j) => usedB[j]).ToArray();
        var transpositions = matchedA.Zip(matchedB).Count(p => p.First != p.Second);
        double m = matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2)) / m)) / 3.0;
    }
}
