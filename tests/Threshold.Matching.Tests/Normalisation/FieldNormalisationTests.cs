using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Tests.Normalisation;

public class FieldNormalisationTests
{
    [Theory]
    [InlineData("19851103", "1985-11-03")]
    [InlineData("1985-11-03", "1985-11-03")]
    [InlineData("03/11/1985", "1985-11-03")]
    [InlineData(" 3/11/1985 ", "1985-11-03")]
    public void DateOfBirth_ParsesTheThreeFormats(string raw, string iso)
    {
        var date = DateOfBirthParser.Parse(raw);
        Assert.Equal(iso, date.Iso);
        Assert.False(date.DayMonthSwapped);
        Assert.True(date.IsCalendarDate);
    }

    [Fact]
    public void DateOfBirth_DetectsAmericanOrderInADayFirstDate()
    {
        var date = DateOfBirthParser.Parse("11/23/1985");
        Assert.Equal("1985-11-23", date.Iso);
        Assert.True(date.DayMonthSwapped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a date")]
    [InlineData("1985")]
    public void DateOfBirth_UnreadableTextIsMissingNotAnError(string raw) =>
        Assert.False(DateOfBirthParser.Parse(raw).IsPresent);

    [Fact]
    public void DateOfBirth_KeepsDigitsOfAnImpossibleDateForPartialAgreement()
    {
        var date = DateOfBirthParser.Parse("19650230");
        Assert.True(date.IsPresent);
        Assert.False(date.IsCalendarDate);
        Assert.Equal("19650230", date.Digits);
    }

    [Theory]
    [InlineData("07700 900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("(0044) 7700-900123", "+447700900123")]
    [InlineData("0113 496 0000", "+441134960000")]
    public void Phone_NormalisesTestRangeNumbersThatAreNotValid(string raw, string expected) =>
        Assert.Equal(expected, PhoneNormaliser.Normalise(raw));

    [Fact]
    public void Phone_KeepsDigitsOfAnUnparseableNumber() =>
        Assert.Equal("+99912345", PhoneNormaliser.Normalise("+999 12345"));

    [Theory]
    [InlineData("Alex.Morgan+campaign@Example.ORG", "alex.morgan@example.org")]
    [InlineData("a.l.e.x+x@googlemail.com", "alex@gmail.com")]
    [InlineData("<ALEX@gmail.com>", "alex@gmail.com")]
    [InlineData("not an address", "")]
    public void Email_FoldsCasePlusTagsAndGmailDots(string raw, string expected) =>
        Assert.Equal(expected, EmailNormaliser.Normalise(raw));

    [Theory]
    [InlineData("rb1 2ab", "RB1 2AB", "RB1 2", "RB1")]
    [InlineData("SW1A1AA", "SW1A 1AA", "SW1A 1", "SW1A")]
    [InlineData(" 4223", "4223", "", "")]
    public void Postcode_NormalisesUkShapeAndKeepsOthers(string raw, string full, string sector, string district) =>
        Assert.Equal(new Postcode(full, sector, district), PostcodeNormaliser.Normalise(raw));

    [Fact]
    public void Address_ExpandsAbbreviationsAndSplitsHouseNumber()
    {
        var person = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "1", AddressLine1 = "12A Acacia Rd." });
        Assert.Equal("12a", person.StreetNumber);
        Assert.Equal("acacia road", person.AddressLine1);
    }
}
