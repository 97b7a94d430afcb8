using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Threshold.Infrastructure;
using UglyToad.PdfPig;

namespace Threshold.Safeguarding;

/// <summary>
/// The front door's slice on PostgreSQL (the read model's SQL, the look-up, the PDFs): a fresh demo
/// store in its own schema. The same steps run on SQLite in the other Safeguarding tests.
/// </summary>
[Collection("postgres")]
public sealed class FrontDoorOnPostgresTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("frontdoor")));

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Referral_to_triage_letter_and_subject_access_export_on_postgres()
    {
        var police = await _app.ApiClientAsync(ReferralApiTests.Police);
        var earlier = await ReferralApiTests.ReferAsync(police);
        var id = await ReferralApiTests.ReferAsync(police);

        var triage = await Browserless.SignedInAsync(_app, ReferralApiTests.Triage);
        Assert.Contains($"data-referral=\"{id}\"", await triage.GetStringAsync("/children-services"), StringComparison.Ordinal);
        var page = await triage.GetStringAsync($"/children-services/referrals/{id}");
        Assert.Contains("data-testid=\"previous\"", page, StringComparison.Ordinal);
        Assert.Contains(earlier, page, StringComparison.Ordinal);

        var api = await _app.ApiClientAsync(ReferralApiTests.Triage);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "no-further-action", reasons = "No role for children's services." })).StatusCode);
        var sw = await _app.ApiClientAsync(ReferralApiTests.SocialWorker);
        var letter = await sw.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/family-letter", new { text = "Alex Morgan" });
        Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
        var pdf = await letter.Content.ReadAsByteArrayAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), letter.Headers.GetValues("X-Letter-Sha256").Single());
        Assert.Equal(pdf, await sw.GetByteArrayAsync($"/api/v1/children-services/referrals/{id}/family-letters/{Convert.ToHexStringLower(SHA256.HashData(pdf))}"));

        var records = await _app.ApiClientAsync(ReferralApiTests.RecordsOfficer);
        var created = await records.PostAsJsonAsync("/api/v1/children-services/subject-access-requests",
            new { subject = new { givenName = "Ellie", familyName = "Morgan", dateOfBirth = "2016-05-14", address = new { postcode = "RV1 2AB" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sarId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var export = PdfDocument.Open(await records.GetByteArrayAsync($"/api/v1/children-services/subject-access-requests/{sarId}/export.pdf"));
        var text = string.Join("\n", export.GetPages().Select(p => p.Text));
        Assert.Contains("[redacted: third party]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hale", text, StringComparison.Ordinal);
    }
}
