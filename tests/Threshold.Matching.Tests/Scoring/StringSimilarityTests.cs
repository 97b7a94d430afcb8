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
}
