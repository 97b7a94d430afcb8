using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Domain.Access;
using Threshold.Infrastructure;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Access;

/// <summary>A user never loads another agency's record unless it was shared; every attempt is on the audit trail.</summary>
public abstract class AgencyIsolationContract
{
    protected abstract TestApp App { get; }

    private async Task<string> PoliceRecordAsync()
    {
        var id = $"case:test-{Guid.NewGuid():n}";
        await App.Store.Ledger.AppendAsync("harbourside-police", id, ExpectedVersion.NoStream,
            [new NewEvent("CrimeReportRecorded", """{"summary":"Abusive e-mails to the office of Alex Morgan MP"}""")], "user:investigator@harbourside-police.example");
        return id;
    }

    private Task<IReadOnlyList<AuditRow>> AuditAsync(string agency) =>
        new AdministrationQueries(App.Store).AuditLogAsync(agency, null, null, 200);

    [Fact]
    public async Task Own_agency_reads_its_record_and_the_read_is_audited()
    {
        var id = await PoliceRecordAsync();
        var client = await App.ApiClientAsync("investigator@harbourside-police.example");

        var record = await client.GetFromJsonAsync<JsonElement>($"/api/v1/records/{id}");

        Assert.Equal("CrimeReportRecorded", record.GetProperty("events")[0].GetProperty("type").GetString());
        Assert.Contains(await AuditAsync("harbourside-police"), a => a.EventType == nameof(CaseContentRead) && a.Summary.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_agency_gets_404_and_the_attempt_is_audited()
    {
        var id = await PoliceRecordAsync();
        var client = await App.ApiClientAsync("triage-worker@riverside-council.example");

        var response = await client.GetAsync($"/api/v1/records/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Abusive", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync("riverside-council"), a => a.EventType == nameof(CaseAccessRefused) && a.Summary.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_agency_gets_the_same_404_page_in_the_browser()
    {
        var id = await PoliceRecordAsync();
        var client = await Browserless.SignedInAsync(App, "caseworker@alex-morgan-mp.example");
        var response = await client.GetAsync($"/records/{Uri.EscapeDataString(id)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Abusive", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_record_can_be_read_by_the_agency_it_was_shared_with()
    {
        var id = await PoliceRecordAsync();
        await App.Store.Ledger.AppendAsync("harbourside-police", id, 1,
            [EventSerializer.ToNew(new RecordShared(id, "harbourside-police", "riverside-council", "safeguarding referral"))], "user:investigator@harbourside-police.example");
        var council = await App.ApiClientAsync("social-worker@riverside-council.example");
        var office = await App.ApiClientAsync("caseworker@alex-morgan-mp.example");

        Assert.Equal(HttpStatusCode.OK, (await council.GetAsync($"/api/v1/records/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/v1/records/{id}")).StatusCode);
    }

    [Fact]
    public async Task Administrative_streams_are_never_served_as_records()
    {
        var user = await new AdministrationQueries(App.Store).FindUserByEmailAsync("investigator@harbourside-police.example");
        var client = await App.ApiClientAsync("supervisor@harbourside-police.example");
        var response = await client.GetAsync($"/api/v1/records/user:{user!.UserId}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("passwordHash", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class AgencyIsolationTests(TestApp app) : AgencyIsolationContract, IClassFixture<TestApp>
{
    protected override TestApp App => app;
}

/// <summary>The same rules on PostgreSQL: a fresh demo store in its own schema per test.</summary>
[Collection("postgres")]
public sealed class AgencyIsolationOnPostgresTests(PostgresServer postgres) : AgencyIsolationContract, IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("isolation")));

    protected override TestApp App => _app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
