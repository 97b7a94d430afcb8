using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Domain.Policing;
using Threshold.Infrastructure;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;
using Threshold.Storage.Ledger;

namespace Threshold.Harassment;

/// <summary>
/// Issue 4, step 6: the office reports a correspondent to police, the report arrives there as a shared
/// record and the office sees its status; a contact from the subject of a no-contact instruction is
/// flagged the moment it is logged and the officer in the case is alerted.
/// </summary>
public sealed class ReportToPoliceTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Office = "/api/v1/offices/alex-morgan-mp";
    private const string Investigator = "investigator@harbourside-police.example";

    private async Task<JsonElement> PostEmailAsync(HttpClient client, string from, string body, DateTimeOffset? date = null)
    {
        var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: from, body: body, date: date)));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var response = await client.PostAsync($"{Office}/contacts", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_report_arrives_at_the_force_as_a_shared_record_and_the_office_sees_its_status()
    {
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var from = $"Gary {Mails.UniqueSurname()} <g.{Guid.NewGuid():n}@example.net>";
        var first = await PostEmailAsync(office, from, "You useless liar.");
        await PostEmailAsync(office, from, "I know where you live.");
        var correspondent = first.GetProperty("correspondentId").GetString();

        var sent = await office.PostAsJsonAsync($"{Office}/reports", new { correspondentId = correspondent, policeAgency = "harbourside-police", summary = "Two abusive e-mails, one threatening." });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var report = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var id = report.GetProperty("id").GetString()!;
        Assert.Equal(2, report.GetProperty("contactCount").GetInt32());

        // The force reads it as a shared record, and downloads the pack.
        var police = await app.ApiClientAsync(Investigator);
        var record = await police.GetFromJsonAsync<JsonElement>($"/api/v1/records/crime-report:{id}");
        Assert.Equal("CrimeReportSent", record.GetProperty("events")[0].GetProperty("type").GetString());
        var received = await police.GetFromJsonAsync<JsonElement>("/api/v1/police/reports");
        Assert.Contains(received.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        var pdf = await police.GetAsync($"/api/v1/police/reports/{id}/pack.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);

        // Another agency cannot read it.
        var council = await app.ApiClientAsync("triage-worker@riverside-council.example");
        Assert.Equal(HttpStatusCode.NotFound, (await council.GetAsync($"/api/v1/records/crime-report:{id}")).StatusCode);

        // The force moves it on; the office sees the status.
        var status = await police.PostAsJsonAsync($"/api/v1/police/reports/{id}/status", new { status = "under-investigation", note = "DC Hale" });
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var reports = await office.GetFromJsonAsync<JsonElement>($"{Office}/reports");
        var mine = reports.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("under-investigation", mine.GetProperty("status").GetString());
        Assert.True((await app.Store.Ledger.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task A_report_needs_an_information_sharing_agreement_with_a_police_force()
    {
        await app.Administration.RegisterAgencyAsync("eastmoor-police", "Eastmoor Police", "police", null, "system:test");
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var first = await PostEmailAsync(office, $"Ada {Mails.UniqueSurname()} <a.{Guid.NewGuid():n}@example.net>", "Idiot.");

        var noAgreement = await office.PostAsJsonAsync($"{Office}/reports", new { correspondentId = first.GetProperty("correspondentId").GetString(), policeAgency = "eastmoor-police" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noAgreement.StatusCode);
        Assert.Contains("no information-sharing agreement", await noAgreement.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var notPolice = await office.PostAsJsonAsync($"{Office}/reports", new { correspondentId = first.GetProperty("correspondentId").GetString(), policeAgency = "riverside-council" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notPolice.StatusCode);
    }

    [Theory]
    [InlineData(null, "further contact after a no-contact instruction", false)]
    [InlineData("restraining order", "breach of a restraining order", true)]
    public async Task Contact_from_the_subject_of_a_no_contact_instruction_is_flagged_and_the_officer_alerted(string? order, string flag, bool breach)
    {
        var surname = Mails.UniqueSurname();
        var address = $"gary.{Guid.NewGuid():n}@example.net";
        var instruction = new NoContactInstructionRecorded(
            $"nci-{Guid.NewGuid():n}", $"case-{Guid.NewGuid():n}", "harbourside-police", Investigator, "DC Sam Hale", new DateOnly(2026, 3, 10),
            new NoContactSubject("Gary", surname, "1979-04-02", [address], ["07700 900999"]), ["alex-morgan-mp"], order);
        await app.Store.Ledger.AppendAsync("harbourside-police", $"case:{instruction.CaseId}", ExpectedVersion.NoStream, [EventSerializer.ToNew(instruction)], "user:" + Investigator);
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);

        var before = await PostEmailAsync(office, $"Gary {surname} <{address}>", "Before the instruction.", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        Assert.Empty(before.GetProperty("flags").EnumerateArray());

        // After it, from a second account under his own name: grouped with him, and flagged.
        var after = await PostEmailAsync(office, $"Gary {surname} <other.{Guid.NewGuid():n}@example.com>", "I said I'd stop. I lied.", new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.Zero));
        var flags = after.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.Contains(flags, f => f.StartsWith(flag, StringComparison.Ordinal));
        if (!breach)
        {
            Assert.DoesNotContain(flags, f => f.Contains("breach", StringComparison.Ordinal));
        }

        var alerts = await new HarassmentQueries(app.Store).AlertsAsync("harbourside-police");
        var alert = Assert.Single(alerts, a => a.InstructionId == instruction.InstructionId);
        Assert.Equal(Investigator, alert.OfficerEmail);
        Assert.Equal(after.GetProperty("id").GetString(), alert.ContactId);
        Assert.Equal(breach ? 1 : 0, alert.Breach);
        Assert.Contains("address", alert.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contact_after_a_statutory_order_has_ended_is_not_flagged_but_contact_on_its_last_day_is()
    {
        var surname = Mails.UniqueSurname();
        var address = $"gary.{Guid.NewGuid():n}@example.net";
        var order = new NoContactInstructionRecorded(
            $"nci-{Guid.NewGuid():n}", $"case-{Guid.NewGuid():n}", "harbourside-police", Investigator, "DC Sam Hale", new DateOnly(2026, 1, 5),
            new NoContactSubject("Gary", surname, "1979-04-02", [address], []), ["alex-morgan-mp"], "restraining order", EndsOn: new DateOnly(2026, 2, 5));
        await app.Store.Ledger.AppendAsync("harbourside-police", $"case:{order.CaseId}", ExpectedVersion.NoStream, [EventSerializer.ToNew(order)], "user:" + Investigator);
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);

        var lastDay = await PostEmailAsync(office, $"Gary {surname} <{address}>", "On the order's last day.", new DateTimeOffset(2026, 2, 5, 18, 0, 0, TimeSpan.Zero));
        Assert.Contains(lastDay.GetProperty("flags").EnumerateArray(), f => f.GetString()!.StartsWith("breach of a restraining order", StringComparison.Ordinal));

        var afterEnd = await PostEmailAsync(office, $"Gary {surname} <{address}>", "After the order ended.", new DateTimeOffset(2026, 2, 6, 9, 0, 0, TimeSpan.Zero));
        Assert.Empty(afterEnd.GetProperty("flags").EnumerateArray());
        var alerts = await new HarassmentQueries(app.Store).AlertsAsync("harbourside-police");
        Assert.Single(alerts, a => a.InstructionId == order.InstructionId);
    }
}
