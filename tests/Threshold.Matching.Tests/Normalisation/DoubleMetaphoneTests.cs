using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Tests.Normalisation;

public class DoubleMetaphoneTests
{
    // Expected keys as given by Philips' reference implementation.
    [Theory]
    [InlineData("Smith", "SM0", "XMT")]
    [InlineData("Schmidt", "XMT", "SMT")]
    [InlineData("Thompson", "TMPS", "TMPS")]
    [InlineData("Catherine", "K0RN", "KTRN")]
    [InlineData("Knight", "NT", "NT")]
    [InlineData("Jose", "HS", "HS")]
    [InlineData("Xavier", "SF", "SFR")]
    [InlineData("Caesar", "SSR", "SSR")]
    [InlineData("Gallegos", "KLKS", "KKS")]
    [InlineData("Dumb", "TM", "TM")]
    [InlineData("Edge", "AJ", "AJ")]
    [InlineData("Philip", "FLP", "FLP")]
    [InlineData("Wright", "RT", "RT")]
    [InlineData("Zhang", "JNK", "JNK")]
    public void Encode_GivesReferenceKeys(string word, string primary, string alternate)
    {
        var key = DoubleMetaphone.Encode(word);
        Assert.Equal(primary, key.Primary);
        Assert.Equal(alternate, key.Alternate);
    }

    [Theory]
    [InlineData("Stephen", "Steven")]
    [InlineData("Catherine", "Kathryn")]
    [InlineData("Smith", "Smyth")]
    [InlineData("Philips", "Filips")]
    public void Encode_SoundAlikeSpellingsMatch(string a, string b) =>
        Assert.True(DoubleMetaphone.Encode(a).Matches(DoubleMetaphone.Encode(b)));

    [Fact]
    public void Encode_DifferentNamesDoNotMatch() =>
        Assert.False(DoubleMetaphone.Encode("Morgan").Matches(DoubleMetaphone.Encode("Hale")));
}
