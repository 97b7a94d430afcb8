using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Domain.Harassment;
using Threshold.Infrastructure;

namespace Threshold.Harassment;

/// <summary>The office routes of the stable API contract: POST …/contacts (raw or JSON), GET …/correspondents, GET …/correspondents/{id}.</summary>
public abstract class ContactsApiContract
{
    protected abstract TestApp App { get; }

    private const string Contacts = "/api/v1/offices/alex-morgan-mp/contacts";

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        return content;
    }

    [Fact]
    public async Task A_raw_message_is_logged_and_answers_id_correspondent_and_only_the_labels_that_apply()
    {
        var client = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var message = Mails.Message(from: $"Rory {Mails.UniqueSurname()} <rory.{Guid.NewGuid():n}@example.net>", body: "You useless idiot. I know where you live.");

        var response = await client.PostAsync(Contacts, Raw(Mails.Bytes(message)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("con-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("cor-", body.GetProperty("correspondentId").GetString(), StringComparison.Ordinal);
        var labels = body.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains("threatening", labels);
        Assert.Contains("abusive", labels);
        Assert.DoesNotContain("sexual", labels);

        var duplicate = await client.PostAsync(Contacts, Raw(Mails.Bytes(message)));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task A_manual_phone_call_is_logged_from_json_and_grouped_with_the_same_person_by_phone()
    {
        var client = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var phone = $"07700 900{Random.Shared.Next(100, 999)}";
        var first = await client.PostAsJsonAsync(Contacts, new
        {
            channel = "phone-call",
            receivedAt = "2026-03-04T14:30:00+00:00",
            sender = new { givenName = "Dale", familyName = Mails.UniqueSurname(), phone },
            subject = "Call to the office",
            body = "Shouted that the MP is a traitor and hung up.",
        });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>();

        var second = await client.PostAsJsonAsync(Contacts, new
        {
            channel = "letter",
            receivedAt = "2026-03-05T09:00:00+00:00",
            sender = new { phone, address = new { line1 = "4 Quay Street", town = "Harbourside", postcode = "HB1 2AA" } },
            body = "A handwritten letter repeating the same complaint.",
        });
        var b = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(a.GetProperty("correspondentId").GetString(), b.GetProperty("correspondentId").GetString());

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/offices/alex-morgan-mp/correspondents/{a.GetProperty("correspondentId").GetString()}");
        Assert.Equal(2, detail.GetProperty("contactCount").GetInt32());
        var contacts = detail.GetProperty("contacts").EnumerateArray().ToList();
        Assert.Contains(contacts, c => c.GetProperty("groupingReason").GetString()!.StartsWith("same phone number", StringComparison.Ordinal));
        Assert.All(contacts, c => Assert.Equal(6, c.GetProperty("triage").GetArrayLength()));
    }

    [Fact]
    public async Task Correspondents_list_has_the_contract_fields()
    {
        var client = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var address = $"wren.{Guid.NewGuid():n}@example.org";
        var name = $"Wren {Mails.UniqueSurname()}";
        await client.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message(from: $"{name} <{address}>", body: "Pathetic scum."))));

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/offices/alex-morgan-mp/correspondents");

        var wren = list.EnumerateArray().Single(c => c.GetProperty("addresses").EnumerateArray().Any(a => a.GetString() == address));
        Assert.Equal(name, wren.GetProperty("displayName").GetString());
        Assert.Equal(1, wren.GetProperty("contactCount").GetInt32());
        Assert.Contains("abusive", wren.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.True(wren.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Search_finds_every_word_in_body_subject_or_sender_in_any_case_including_accented_letters()
    {
        var client = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var surname = Mails.UniqueSurname();
        var tag = Mails.UniqueSurname().ToLowerInvariant();
        var address = $"zoe.{tag}@example.net";
        var posted = await client.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message(
            from: $"Zoë {surname} <{address}>", subject: $"About the STREETLIGHT {tag}", body: $"ZOË wrote again: the Quayside lamp is out. Ref {tag}_1%"))));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        await client.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message(from: $"Other {Mails.UniqueSurname()} <o.{tag}@example.org>", subject: "Unrelated", body: $"Nothing about lamps. {tag}"))));
        var queries = new Threshold.Storage.Harassment.HarassmentQueries(App.Store);

        async Task<int> CountAsync(string q) =>
            (await queries.ContactsAsync("alex-morgan-mp", new Threshold.Storage.Harassment.ContactFilter(Search: q))).Count;

        Assert.Equal(1, await CountAsync($"quayside {tag}"));           // body, other case
        Assert.Equal(1, await CountAsync($"streetlight {tag}"));        // subject, upper case in the text
        Assert.Equal(1, await CountAsync($"{surname.ToUpperInvariant()} {tag}")); // sender's name
        Assert.Equal(1, await CountAsync(address.ToUpperInvariant()));  // sender's address
        Assert.Equal(1, await CountAsync($"zoë {tag} lamp"));           // "ZOË" and "Zoë" found by "zoë"
        Assert.Equal(1, await CountAsync($"ZOË {tag}"));
        Assert.Equal(2, await CountAsync(tag));
        Assert.Equal(1, await CountAsync($"{tag}_1%"));                 // LIKE's wildcards are searched for as written
        Assert.Equal(0, await CountAsync($"{tag}_1x"));
        Assert.Equal(0, await CountAsync($"quayside {tag} missing"));
    }

    [Fact]
    public async Task Every_label_is_listed_and_one_the_scorer_found_nothing_for_can_be_confirmed_and_overturned()
    {
        var client = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var from = $"Suki {Mails.UniqueSurname()} <suki.{Guid.NewGuid():n}@example.net>";
        var created = await (await client.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message(from: from, body: "Please fix the bins on Quay Lane."))))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var correspondent = created.GetProperty("correspondentId").GetString();

        async Task<List<JsonElement>> TriageAsync() =>
            [.. (await client.GetFromJsonAsync<JsonElement>($"/api/v1/offices/alex-morgan-mp/correspondents/{correspondent}")).GetProperty("contacts")[0].GetProperty("triage").EnumerateArray()];

        var triage = await TriageAsync();
        Assert.Equal(TriageLabels.All.Select(l => l.Slug).Order(), triage.Select(t => t.GetProperty("label").GetString()).Order());
        Assert.All(triage, t => Assert.Equal("unlikely", t.GetProperty("bucket").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Contacts}/{id}/labels/threatening", new { decision = "confirmed", note = "said so on the phone" })).StatusCode);
        var threatening = (await TriageAsync()).Single(t => t.GetProperty("label").GetString() == "threatening");
        Assert.Equal(("confirmed", "said so on the phone"), (threatening.GetProperty("review").GetString(), threatening.GetProperty("reviewNote").GetString()));
        var filtered = await client.GetFromJsonAsync<JsonElement>($"/api/v1/offices/alex-morgan-mp/correspondents/{correspondent}");
        Assert.Contains("threatening", filtered.GetProperty("contacts")[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Contacts}/{id}/labels/threatening", new { decision = "overturned" })).StatusCode);
        var again = (await TriageAsync()).Single(t => t.GetProperty("label").GetString() == "threatening");
        Assert.Equal("overturned", again.GetProperty("review").GetString());
        Assert.Equal(6, (await TriageAsync()).Count);
    }

    [Fact]
    public async Task Another_agency_gets_404_and_bad_input_gets_a_problem_not_a_500()
    {
        var police = await App.ApiClientAsync("investigator@harbourside-police.example");
        var response = await police.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message())));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync("/api/v1/offices/alex-morgan-mp/correspondents")).StatusCode);

        var office = await App.ApiClientAsync(HarassmentStore.Caseworker);
        var badJson = await office.PostAsync(Contacts, new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        var badChannel = await office.PostAsJsonAsync(Contacts, new { channel = "carrier-pigeon", body = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badChannel.StatusCode);
        Assert.Contains("phone-call", await badChannel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var garbage = await office.PostAsync(Contacts, Raw([0, 1, 2, 3]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.StatusCode);
        var text = await office.PostAsync(Contacts, new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        var anonymous = App.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(Contacts, Raw(Mails.Bytes(Mails.Message())))).StatusCode);
    }
}

public sealed class ContactsApiTests(TestApp app) : ContactsApiContract, IClassFixture<TestApp>
{
    protected override TestApp App => app;
}

/// <summary>The same contract on PostgreSQL: the harassment read model's SQL is portable.</summary>
[Collection("postgres")]
public sealed class ContactsApiOnPostgresTests(PostgresServer postgres) : ContactsApiContract, IAsyncLifetime
{
    private readonly TestApp _app = new(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("harassment")));

    protected override TestApp App => _app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
