using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Infrastructure;
using Threshold.Domain.Harassment;

namespace Threshold.Harassment;

/// <summary>Caseworkers merge and split correspondents and review labels; each is an event and merges and splits can be undone.</summary>
public sealed class RegroupingApiTests(TestApp app) : IClassFixture<TestApp>
{
    private const string Office = "/api/v1/offices/alex-morgan-mp";

    private async Task<(HttpClient Client, string A, string B, string ContactOfB)> TwoCorrespondentsAsync()
    {
        var client = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var tag = Guid.NewGuid().ToString("n")[..8];
        async Task<JsonElement> PostAsync(string from, string body)
        {
            var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: from, body: body)));
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            var response = await client.PostAsync($"{Office}/contacts", content);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        var surname = Mails.UniqueSurname();
        var a = await PostAsync($"Kit {surname} <kit.{tag}@example.net>", "First.");
        await PostAsync($"Kit {surname} <kit.{tag}@example.net>", "Second.");
        // Another account under another name, unique to this test: a shared "K M" let one test's second
        // correspondent be grouped with another's (same uncommon display name), depending on test order.
        var b = await PostAsync($"Orla {Mails.UniqueSurname()} <orla.{Guid.NewGuid():n}@example.org>", "Third, from another account.");
        return (client, a.GetProperty("correspondentId").GetString()!, b.GetProperty("correspondentId").GetString()!, b.GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> DetailAsync(HttpClient client, string id) =>
        await client.GetFromJsonAsync<JsonElement>($"{Office}/correspondents/{id}");

    [Fact]
    public async Task Merge_moves_contacts_and_undo_moves_them_back()
    {
        var (client, a, b, _) = await TwoCorrespondentsAsync();
        Assert.NotEqual(a, b);

        var merge = await client.PostAsJsonAsync($"{Office}/correspondents/{a}/merge", new { otherId = b, reason = "same man, he signs both" });
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        Assert.Equal(3, (await DetailAsync(client, a)).GetProperty("contactCount").GetInt32());
        var list = await client.GetFromJsonAsync<JsonElement>($"{Office}/correspondents");
        Assert.DoesNotContain(list.EnumerateArray(), c => c.GetProperty("id").GetString() == b);

        var mergeId = (await merge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mergeId").GetString();
        var undo = await client.PostAsJsonAsync($"{Office}/regroupings/{mergeId}/undo", new { reason = "a different person after all" });
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.Equal(2, (await DetailAsync(client, a)).GetProperty("contactCount").GetInt32());
        Assert.Equal(1, (await DetailAsync(client, b)).GetProperty("contactCount").GetInt32());

        var twice = await client.PostAsJsonAsync($"{Office}/regroupings/{mergeId}/undo", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
    }

    [Fact]
    public async Task Split_makes_a_new_correspondent_and_undo_brings_the_contacts_back()
    {
        var (client, a, b, contactOfB) = await TwoCorrespondentsAsync();
        await client.PostAsJsonAsync($"{Office}/correspondents/{a}/merge", new { otherId = b });

        var split = await client.PostAsJsonAsync($"{Office}/correspondents/{a}/split", new { contactIds = new[] { contactOfB }, displayName = "Second account", reason = "not him" });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var body = await split.Content.ReadFromJsonAsync<JsonElement>();
        var newId = body.GetProperty("correspondentId").GetString()!;
        Assert.Equal(1, (await DetailAsync(client, newId)).GetProperty("contactCount").GetInt32());
        Assert.Equal(2, (await DetailAsync(client, a)).GetProperty("contactCount").GetInt32());

        await client.PostAsJsonAsync($"{Office}/regroupings/{body.GetProperty("splitId").GetString()}/undo", new { });
        Assert.Equal(3, (await DetailAsync(client, a)).GetProperty("contactCount").GetInt32());

        var all = await client.PostAsJsonAsync($"{Office}/correspondents/{a}/split", new { contactIds = (await DetailAsync(client, a)).GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, all.StatusCode);
    }

    [Fact]
    public async Task A_label_can_be_confirmed_or_overturned_and_labels_follow_the_review()
    {
        var client = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: $"Ivo {Mails.UniqueSurname()} <ivo.{Guid.NewGuid():n}@example.net>", body: "You pathetic idiot.")));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var created = await (await client.PostAsync($"{Office}/contacts", content)).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var correspondent = created.GetProperty("correspondentId").GetString()!;
        Assert.Contains("abusive", created.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Office}/contacts/{id}/labels/abusive", new { decision = "overturned", note = "banter between friends" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Office}/contacts/{id}/labels/sexual", new { decision = "confirmed" })).StatusCode);

        var detail = await DetailAsync(client, correspondent);
        var contact = detail.GetProperty("contacts")[0];
        var labels = contact.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.DoesNotContain("abusive", labels);
        Assert.Contains("sexual", labels);
        var abusive = contact.GetProperty("triage").EnumerateArray().Single(t => t.GetProperty("label").GetString() == "abusive");
        Assert.Equal("overturned", abusive.GetProperty("review").GetString());
        // Labels the scorer found nothing for are listed as unlikely too, and one of them can be confirmed.
        var triage = contact.GetProperty("triage").EnumerateArray().ToList();
        Assert.Equal(TriageLabels.All.Select(l => l.Slug).Order(), triage.Select(t => t.GetProperty("label").GetString()).Order());
        var sexual = triage.Single(t => t.GetProperty("label").GetString() == "sexual");
        Assert.Equal(("unlikely", "confirmed"), (sexual.GetProperty("bucket").GetString(), sexual.GetProperty("review").GetString()));
        Assert.Equal("unlikely", triage.Single(t => t.GetProperty("label").GetString() == "threatening").GetProperty("bucket").GetString());

        var bad = await client.PostAsJsonAsync($"{Office}/contacts/{id}/labels/rude", new { decision = "confirmed" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }

    [Fact]
    public async Task After_the_office_asks_a_correspondent_to_stop_the_next_contact_is_labelled_repeated()
    {
        var client = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var from = $"Nell {Mails.UniqueSurname()} <nell.{Guid.NewGuid():n}@example.net>";
        async Task<JsonElement> PostAsync(DateTimeOffset date)
        {
            var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: from, body: "Why have you not answered my letter?", date: date)));
            content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            return await (await client.PostAsync($"{Office}/contacts", content)).Content.ReadFromJsonAsync<JsonElement>();
        }
        var first = await PostAsync(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        Assert.DoesNotContain("repeated-after-asked-to-stop", first.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        await client.PostAsJsonAsync($"{Office}/correspondents/{first.GetProperty("correspondentId").GetString()}/asked-to-stop",
            new { on = "2026-03-02T10:00:00+00:00", how = "letter from the office" });

        var second = await PostAsync(new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero));

        Assert.Contains("repeated-after-asked-to-stop", second.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }
}
