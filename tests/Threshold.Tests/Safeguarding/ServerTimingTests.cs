using System.Globalization;
using System.Text.RegularExpressions;
using Threshold.Infrastructure;

namespace Threshold.Safeguarding;

/// <summary>The Server-Timing header the triage-screen benchmark reads: on pages and on /health, a plain duration only.</summary>
public sealed partial class ServerTimingTests(TestApp app) : IClassFixture<TestApp>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/children-services")]
    public async Task Responses_carry_their_server_time(string path)
    {
        var client = await Browserless.SignedInAsync(app, ReferralApiTests.Triage);
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var header = Assert.Single(response.Headers.GetValues("Server-Timing"));
        var match = Duration().Match(header);
        Assert.True(match.Success, header);
        Assert.InRange(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 0, 60_000);
    }

    [GeneratedRegex(@"^app;dur=([0-9]+(\.[0-9]+)?)$")]
    private static partial Regex Duration();
}
