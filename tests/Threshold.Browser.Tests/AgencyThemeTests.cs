using Threshold.Pages.Shared;

namespace Threshold.Browser.Tests;

/// <summary>The agency colour is a claim: only #rrggbb ever reaches a style attribute, and the text on it stays readable.</summary>
public sealed class AgencyThemeTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("red")]
    [InlineData("#123")]
    [InlineData("#1d3c6e; background:url(https://example.invalid/x)")]
    [InlineData("#1d3c6e\"><script>alert(1)</script>")]
    [InlineData("#gggggg")]
    [InlineData(" #1d3c6e")]
    public void Anything_but_six_hex_digits_gets_the_neutral_theme(string? claim)
    {
        Assert.Same(AgencyTheme.Neutral, AgencyTheme.For(claim));
    }

    [Fact]
    public void A_dark_colour_gets_white_text()
    {
        var theme = AgencyTheme.For("#1D3C6E");
        Assert.Equal("#1d3c6e", theme.Colour);
        Assert.Equal("#ffffff", theme.Ink);
        Assert.Equal("--app-agency-colour: #1d3c6e; --app-agency-ink: #ffffff; --app-agency-shade: #142a4d; --app-agency-accent: #1d3c6e;", theme.Style);
    }

    [Theory]
    [InlineData("#ffdd00")]
    [InlineData("#85994b")]
    [InlineData("#ffffff")]
    public void A_pale_colour_gets_near_black_text_and_a_black_accent(string colour)
    {
        var theme = AgencyTheme.For(colour);
        Assert.NotEqual("#ffffff", theme.Ink);
        Assert.Equal("#0b0c0c", theme.Accent);
        Assert.True(AgencyTheme.ContrastRatio(theme.Colour, theme.Ink) >= 4.5);
    }

    [Theory]
    [InlineData("#1d3c6e")]
    [InlineData("#00625e")]
    [InlineData("#5b2c6f")]
    [InlineData("#d4351c")]
    [InlineData("#ffdd00")]
    [InlineData("#777777")]
    public void Header_text_always_meets_AA_contrast(string colour)
    {
        var theme = AgencyTheme.For(colour);
        Assert.True(AgencyTheme.ContrastRatio(theme.Colour, theme.Ink) >= 4.5, $"{theme.Ink} on {theme.Colour}");
    }
}
