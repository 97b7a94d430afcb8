using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Tests.Normalisation;

public class NameNormalisationTests
{
    [Theory]
    [InlineData("  Dr. Zoë  O'Neill-Brady ", "zoe")]
    [InlineData("MRS ÉLODIE", "elodie")]
    [InlineData("mary-jane", "mary")]
    public void Given_FoldsCaseAccentsTitlesAndPunctuation(string raw, string expected) =>
        Assert.Equal(expected, NameNormaliser.Given(raw));

    [Theory]
    [InlineData("Smith-Jones", "smithjones")]
    [InlineData("smith jones", "smithjones")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("Núñez Jr", "nunez")]
    public void Family_JoinsDoubleBarrelledPartsAndDropsSuffixes(string raw, string expected) =>
        Assert.Equal(expected, NameNormaliser.Family(raw));

    [Theory]
    [InlineData("Gaz", "Gareth")]
    [InlineData("Stu", "Stuart")]
    [InlineData("Bob", "Robert")]
    [InlineData("Liz", "Elizabeth")]
    [InlineData("bobby", "Bob")]
    [InlineData("Peggy", "Margaret")]
    public void Nicknames_TreatInformalShortFormsAsTheSameName(string a, string b) =>
        Assert.True(Nicknames.Default.AreEquivalent(a, b));

    [Theory]
    [InlineData("Robert", "Richard")]
    [InlineData("Liz", "Margaret")]
    [InlineData("Gaz", "")]
    public void Nicknames_DoNotEquateDifferentNames(string a, string b) =>
        Assert.False(Nicknames.Default.AreEquivalent(a, b));

    [Fact]
    public void Nicknames_ParseReadsCommentedTable()
    {
        var table = Nicknames.Parse(new StringReader("# source: test\nwilliam,bill,liam\n"));
        Assert.True(table.AreEquivalent("Bill", "LIAM"));
        Assert.Equal(3, table.Count);
    }
}
