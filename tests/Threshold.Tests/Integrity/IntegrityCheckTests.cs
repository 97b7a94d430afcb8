using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Threshold.Harassment;
using Threshold.Infrastructure;
using Threshold.Policing;
using Threshold.Storage.Integrity;

namespace Threshold.Integrity;

/// <summary>
/// The referral integrity check through the real API on a real server: each signal with its
/// evidence, the disclosure on both sides, the agreement gate, the people who must raise nothing,
/// the same triage for a referral with signals as without, the check again when a case is opened
/// later, and the loop closed when the council confirms a referral malicious.
/// </summary>
public abstract class IntegrityCheckContract(TestApp app)
{
    protected TestApp App => app;

    private const string Council = "riverside-council";
    private const string Triage = "triage-worker@riverside-council.example";
    private const string Manager = "manager@riverside-council.example";

    /// <summary>A family of our own for each test: the mother (the victim), her daughter, and the man who harasses her.</summary>
    /// <remarks>Dates of birth and the phone differ between families, so one test's people never match another's.</remarks>
    private sealed record Family(string MotherFamily, string SuspectFamily, int N)
    {
        public string Phone => $"07700 900{N:000}";

        public string DaughterBorn => $"2016-{1 + (N % 12):00}-{1 + (N % 28):00}";

        public object Mother => PoliceHttp.Person("Alex", MotherFamily, $"1984-{1 + (N % 12):00}-{1 + (N / 12 % 28):00}", $"alex@{MotherFamily.ToLowerInvariant()}.example", null, "RV1 2AB");

        public object Daughter => PoliceHttp.Person("Ellie", MotherFamily, DaughterBorn, postcode: "RV1 2AB");

        public object Suspect => new
        {
            givenName = "Gary", familyName = SuspectFamily, dateOfBirth = $"1979-{1 + (N % 12):00}-{1 + (N / 12 % 28):00}", email = $"gary.{SuspectFamily.ToLowerInvariant()}@example.net", phone = Phone,
            address = new { line1 = "4 Tanner Lane", town = "Riverside", postcode = "RV3 9QT" },
        };

        public object CaseBody(string offence = "harassment") => new
        {
            victim = Mother, suspect = Suspect, household = new[] { Daughter }, offence,
            summary = "A run of abusive e-mails about her campaign work; he says he will keep writing.",
            domesticAbuse = false,
        };
    }

    private static int _families = Random.Shared.Next(0, 300);

    private static Family NewFamily() => new(Mails.UniqueSurname(), Mails.UniqueSurname(), Interlocked.Increment(ref _families) % 1000);

    /// <summary>
    /// A member of the public: no account, and a loopback address of its own, so the public door's
    /// limit per address (5 in 10 minutes) is not used up by the tests together.
    /// </summary>
    private HttpClient PublicClient()
    {
        var local = IPAddress.Parse($"127.0.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = app.BaseAddress };
    }

    private async Task<(HttpClient Police, string CaseId, string Reference)> OpenCaseAsync(Family family, string offence = "harassment")
    {
        var police = await app.ApiClientAsync(PoliceHttp.Investigator);
        var created = await PoliceHttp.JsonAsync(await police.PostAsJsonAsync("/api/v1/police/cases", family.CaseBody(offence)), HttpStatusCode.Created);
        return (police, created.GetProperty("id").GetString()!, created.GetProperty("reference").GetString()!);
    }

    private async Task<string> ReferAsync(Family family, object referrer, string concern = "The children are at direct risk from their mother.", HttpClient? client = null)
    {
        var created = await PoliceHttp.JsonAsync(await (client ?? PublicClient()).PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = Council,
            children = new[] { family.Daughter },
            carers = new[] { new { givenName = "Alex", familyName = family.MotherFamily, role = "mother" } },
            referrer,
            concern,
        }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> ReferralAsync(string id)
    {
        var triage = await app.ApiClientAsync(Triage);
        return await triage.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}");
    }

    private static List<JsonElement> Signals(JsonElement referral, string? kind = null) =>
        [.. referral.GetProperty("integritySignals").EnumerateArray().Where(s => kind is null || s.GetProperty("kind").GetString() == kind)];

    [Fact]
    public async Task The_suspects_referral_about_the_victims_daughter_is_flagged_before_the_post_returns_with_evidence_and_a_contact_but_not_the_police_record()
    {
        var family = NewFamily();
        var (police, caseId, reference) = await OpenCaseAsync(family);

        // He writes his name as "Gaz", gives no date of birth and a different phone format; the e-mail is the one police hold.
        var id = await ReferAsync(family, new
        {
            person = new { givenName = "Gaz", familyName = family.SuspectFamily, email = $"Gary.{family.SuspectFamily}@example.net", phone = "+44" + family.Phone[1..] },
            relationship = "concerned member of the public", sourceOfKnowledge = "online",
        });

        var referral = await ReferralAsync(id);
        var signal = Assert.Single(Signals(referral, "referrer-is-suspect"));
        Assert.Equal("strong", signal.GetProperty("strength").GetString());
        var explanation = signal.GetProperty("explanation").GetString()!;
        Assert.Contains("Harbourside Police", explanation, StringComparison.Ordinal);
        Assert.Contains($"the child's mother Alex {family.MotherFamily} is the victim", explanation, StringComparison.Ordinal);
        var contact = signal.GetProperty("contact").GetString()!;
        Assert.Contains("Harbourside Police hold information relevant to this referrer", contact, StringComparison.Ordinal);
        Assert.Contains("DC Sam Hale", contact, StringComparison.Ordinal);
        Assert.Contains(reference, contact, StringComparison.Ordinal);
        var evidence = signal.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(evidence, e => e.Contains("e-mail address exact", StringComparison.Ordinal));
        // Never the police record itself: not its summary, nor the suspect's details police hold.
        var all = referral.GetProperty("integritySignals").GetRawText();
        Assert.DoesNotContain("campaign work", all, StringComparison.Ordinal);
        Assert.DoesNotContain("1979-", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Tanner Lane", all, StringComparison.Ordinal);
        // A public referrer with no first-hand knowledge and no relationship: that signal too.
        Assert.Single(Signals(referral, "no-first-hand-knowledge"));

        // The other side of the audit: the force's chain records what the council was shown, under which agreement.
        var disclosure = Assert.Single(await new IntegrityQueries(app.Store).DisclosuresForCaseAsync(caseId), d => d.SignalKind == "referrer-is-suspect");
        Assert.Equal("Riverside Borough Council children's services", disclosure.CouncilName);
        Assert.Contains(explanation, disclosure.Disclosed, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(disclosure.AgreementId));
        var shown = Assert.Single((await PoliceHttp.CaseAsync(police, caseId)).GetProperty("disclosures").EnumerateArray(), d => d.GetProperty("signal").GetString() == "referrer-is-suspect");
        Assert.Equal(referral.GetProperty("reference").GetString(), shown.GetProperty("referral").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_signals()
    {
        var openApi = JsonDocument.Parse(await app.Client().GetStringAsync("/openapi/v1.json")).RootElement;
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ReferralView").GetProperty("properties").TryGetProperty("integritySignals", out _));
        var signal = schemas.GetProperty("IntegritySignalView").GetProperty("properties");
        foreach (var field in new[] { "kind", "strength", "explanation", "contact", "evidence" })
        {
            Assert.True(signal.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task A_referral_with_signals_goes_through_the_same_triage_deadline_work_list_and_steps_as_one_without()
    {
        var family = NewFamily();
        await OpenCaseAsync(family);
        var flagged = await ReferAsync(family, new { person = new { givenName = "Gary", familyName = family.SuspectFamily }, sourceOfKnowledge = "second-hand" });
        var plain = await ReferAsync(family, new { person = new { givenName = "Nadia", familyName = Mails.UniqueSurname() }, relationship = "neighbour", sourceOfKnowledge = "first-hand" });

        var a = await ReferralAsync(flagged);
        var b = await ReferralAsync(plain);
        Assert.NotEmpty(Signals(a, "referrer-is-suspect"));
        Assert.Empty(Signals(b));
        Assert.Equal(b.GetProperty("triageDueBy").GetDateTimeOffset(), a.GetProperty("triageDueBy").GetDateTimeOffset());
        Assert.Equal(b.GetProperty("status").GetString(), a.GetProperty("status").GetString());

        var triage = await app.ApiClientAsync(Triage);
        var fresh = await triage.GetFromJsonAsync<JsonElement>("/api/v1/children-services/work-lists/new");
        Assert.Contains(fresh.EnumerateArray(), r => r.GetProperty("id").GetString() == flagged);
        Assert.Contains(fresh.EnumerateArray(), r => r.GetProperty("id").GetString() == plain);

        // Both can be sent to a strategy discussion; nothing in the signal closes or downgrades the flagged one.
        foreach (var id in new[] { flagged, plain })
        {
            var done = await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{id}/triage", new { decision = "strategy-discussion", reasons = "Allegation of risk to the child: consider on its merits." });
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }
        Assert.Equal((await ReferralAsync(plain)).GetProperty("status").GetString(), (await ReferralAsync(flagged)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_suspects_brother_at_the_same_address_and_a_teacher_about_the_same_family_raise_nothing()
    {
        var family = NewFamily();
        await OpenCaseAsync(family);

        var brother = await ReferAsync(family, new
        {
            person = new { givenName = "Colin", familyName = family.SuspectFamily, dateOfBirth = "1975-09-30", address = new { line1 = "4 Tanner Lane", town = "Riverside", postcode = "RV3 9QT" } },
            relationship = "uncle's friend", sourceOfKnowledge = "first-hand",
        }, "Ellie told me she is frightened at home.");
        Assert.Empty(Signals(await ReferralAsync(brother)));

        var school = await app.ApiClientAsync(PoliceHttp.Investigator); // an agency account: a professional referral
        var teacher = await ReferAsync(family, new { person = new { givenName = "Priya", familyName = "Okonjo" }, relationship = "class teacher", sourceOfKnowledge = "second-hand" },
            "Ellie has bruises she could not explain.", school);
        Assert.Empty(Signals(await ReferralAsync(teacher)));
    }

    [Fact]
    public async Task Nothing_is_matched_with_a_force_that_has_no_agreement_with_the_council()
    {
        var slug = $"eastmoor-{Guid.NewGuid():n}"[..20];
        await app.Administration.RegisterAgencyAsync(slug, "Eastmoor Constabulary", "police", null, "test", default);
        await app.Administration.AddUserAsync(slug, $"dc@{slug}.example", "investigator", "DC Lee Ford", null, "threshold-demo-pass", "test", default);
        var family = NewFamily();
        var police = await app.ApiClientAsync($"dc@{slug}.example", "threshold-demo-pass");
        await PoliceHttp.JsonAsync(await police.PostAsJsonAsync("/api/v1/police/cases", family.CaseBody()), HttpStatusCode.Created);

        var id = await ReferAsync(family, new { person = new { givenName = "Gary", familyName = family.SuspectFamily, email = $"gary.{family.SuspectFamily.ToLowerInvariant()}@example.net" }, relationship = "family friend", sourceOfKnowledge = "first-hand" });
        Assert.Empty(Signals(await ReferralAsync(id)));
    }

    [Fact]
    public async Task A_case_opened_after_the_referral_makes_the_check_run_again_and_the_triage_page_shows_why()
    {
        var family = NewFamily();
        var id = await ReferAsync(family, new { person = new { givenName = "Gary", familyName = family.SuspectFamily, email = $"gary.{family.SuspectFamily.ToLowerInvariant()}@example.net" }, relationship = "family friend", sourceOfKnowledge = "first-hand" });
        Assert.Empty(Signals(await ReferralAsync(id)));

        var (_, _, reference) = await OpenCaseAsync(family);
        var signal = Assert.Single(Signals(await ReferralAsync(id), "referrer-is-suspect"));
        Assert.Contains(reference, signal.GetProperty("contact").GetString(), StringComparison.Ordinal);

        var page = await (await Browserless.SignedInAsync(app, Triage)).GetStringAsync($"/children-services/referrals/{id}");
        Assert.Contains("Referral integrity check", page, StringComparison.Ordinal);
        Assert.Contains("a police case naming the referrer as a suspect was opened", page, StringComparison.Ordinal);
        Assert.Contains("do not change this referral", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malicious_finding_notifies_the_case_and_the_referrers_next_referral_carries_the_history()
    {
        var family = NewFamily();
        var (police, caseId, _) = await OpenCaseAsync(family);
        var referrer = new { person = new { givenName = "Gary", familyName = family.SuspectFamily, email = $"gary.{family.SuspectFamily.ToLowerInvariant()}@example.net" }, relationship = "none", sourceOfKnowledge = "online" };
        var first = await ReferAsync(family, referrer);

        var triage = await app.ApiClientAsync(Triage);
        Assert.Equal(HttpStatusCode.OK, (await triage.PostAsJsonAsync($"/api/v1/children-services/referrals/{first}/triage", new { decision = "no-further-action", reasons = "No evidence of harm; school and GP have no concerns." })).StatusCode);
        var socialWorker = await app.ApiClientAsync("social-worker@riverside-council.example");
        Assert.Equal(HttpStatusCode.OK, (await socialWorker.PostAsJsonAsync($"/api/v1/children-services/referrals/{first}/finding", new { finding = "malicious", reasons = "Made to harass the mother." })).StatusCode);
        Assert.DoesNotContain((await police.GetFromJsonAsync<JsonElement>("/api/v1/police/alerts?mine=true")).EnumerateArray(), a => a.GetProperty("referralId").GetString() == first);
        var manager = await app.ApiClientAsync(Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/v1/children-services/referrals/{first}/finding/confirmation", new { text = "Agreed at panel." })).StatusCode);

        var notice = Assert.Single((await PoliceHttp.CaseAsync(police, caseId)).GetProperty("alerts").EnumerateArray(), a => a.GetProperty("referralId").GetString() == first);
        Assert.Contains("malicious", notice.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        var second = await ReferAsync(family, referrer, "She leaves them alone at night.");
        var history = Assert.Single(Signals(await ReferralAsync(second), "referrer-history"));
        Assert.Equal("strong", history.GetProperty("strength").GetString());
        Assert.Contains(history.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("finding malicious", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_referral_in_the_words_of_the_logged_emails_is_flagged_as_resembling_them()
    {
        var family = NewFamily();
        var office = await app.ApiClientAsync(HarassmentStore.Caseworker);
        var from = $"Gary {family.SuspectFamily} <gary.{family.SuspectFamily.ToLowerInvariant()}@example.net>";
        const string Rant = "You are a disgrace to this town and everyone knows your children are at direct risk while you swan about on your campaign. Somebody should take those kids off you before it is too late.";
        string? correspondent = null;
        foreach (var body in new[] { Rant, "I will keep writing until someone listens to me about you." })
        {
            var content = new ByteArrayContent(Mails.Bytes(Mails.Message(from: from, body: body)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("message/rfc822");
            var logged = await PoliceHttp.JsonAsync(await office.PostAsync("/api/v1/offices/alex-morgan-mp/contacts", content), HttpStatusCode.Created);
            correspondent ??= logged.GetProperty("correspondentId").GetString();
        }
        var report = await PoliceHttp.JsonAsync(await office.PostAsJsonAsync("/api/v1/offices/alex-morgan-mp/reports",
            new { correspondentId = correspondent, policeAgency = "harbourside-police", summary = "Abusive e-mails." }), HttpStatusCode.OK);
        var police = await app.ApiClientAsync(PoliceHttp.Investigator);
        var opened = await PoliceHttp.JsonAsync(await police.PostAsJsonAsync($"/api/v1/police/reports/{report.GetProperty("id").GetString()}/cases", family.CaseBody()), HttpStatusCode.Created);

        // Under another name, with nothing police hold: only the words give him away.
        var id = await ReferAsync(family, new { person = new { givenName = "John", familyName = "Smithson" }, relationship = "neighbour", sourceOfKnowledge = "first-hand" },
            "Everyone knows her children are at direct risk while she swans about on her campaign. Somebody should take those kids off her before it is too late.");
        var signal = Assert.Single(Signals(await ReferralAsync(id), "wording-resembles-harassment"));
        Assert.Contains("Office of Alex Morgan MP", signal.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains(signal.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("\u201cat direct risk\u201d", StringComparison.Ordinal) || e.GetString()!.Contains("three-word phrases", StringComparison.Ordinal));
        Assert.Empty(Signals(await ReferralAsync(id), "referrer-is-suspect"));

        // The office's chain records that its message was used, and nothing of the referral.
        var referral = await ReferralAsync(id);
        var officeSide = new List<Domain.Integrity.IntegrityDisclosureMade>();
        await foreach (var e in app.Store.Ledger.ReadAllAsync(0))
        {
            if (e.AgencyId == "alex-morgan-mp" && Storage.Events.EventSerializer.Deserialize(e) is Domain.Integrity.IntegrityDisclosureMade d && d.CouncilId == Council)
            {
                Assert.DoesNotContain(id, e.StreamId, StringComparison.Ordinal);
                officeSide.Add(d);
            }
        }
        Assert.Contains(officeSide, d => d.SignalKind == "wording-resembles-harassment");
        // The force named as the contact records the disclosure on its case.
        Assert.Contains(await new IntegrityQueries(app.Store).DisclosuresForCaseAsync(opened.GetProperty("id").GetString()!), d => d.SignalKind == "wording-resembles-harassment");
        Assert.All(officeSide, d =>
        {
            Assert.Equal("", d.ReferralId);
            Assert.DoesNotContain(referral.GetProperty("reference").GetString()!, d.Disclosed, StringComparison.Ordinal);
            Assert.DoesNotContain("direct risk", d.Disclosed, StringComparison.Ordinal);
            Assert.DoesNotContain(family.MotherFamily, d.Disclosed, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_father_the_council_already_knows_as_a_carer_raises_no_statement_signal_though_he_gives_no_relationship()
    {
        var family = NewFamily();
        var father = new { givenName = "Owen", familyName = family.MotherFamily, dateOfBirth = "1982-07-19" };
        var school = await app.ApiClientAsync(PoliceHttp.Investigator);
        await PoliceHttp.JsonAsync(await school.PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = Council,
            children = new[] { family.Daughter },
            carers = new object[] { new { givenName = "Alex", familyName = family.MotherFamily, role = "mother" }, new { father.givenName, father.familyName, father.dateOfBirth, role = "father" } },
            referrer = new { person = new { givenName = "Sam", familyName = "Hale" }, relationship = "investigating officer", sourceOfKnowledge = "second-hand" },
            concern = "Officers attended an argument at the home; Ellie was present.",
        }), HttpStatusCode.Created);

        var id = await ReferAsync(family, new { person = father, sourceOfKnowledge = "second-hand" }, "Ellie told her aunt she is scared at her mother's.");
        Assert.Empty(Signals(await ReferralAsync(id), "no-first-hand-knowledge"));

        var stranger = await ReferAsync(family, new { person = new { givenName = "Petra", familyName = Mails.UniqueSurname() }, sourceOfKnowledge = "second-hand" }, "I heard the children are scared.");
        Assert.Single(Signals(await ReferralAsync(stranger), "no-first-hand-knowledge"));
    }

    [Fact]
    public async Task A_concern_police_only_pass_on_is_the_callers_own_and_can_raise_the_statement_signal()
    {
        var family = NewFamily();
        var (police, caseId, _) = await OpenCaseAsync(family);
        var sent = await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, caseId, "child-concerns", new
        {
            children = new[] { family.Daughter },
            carers = new[] { new { givenName = "Alex", familyName = family.MotherFamily, role = "mother" } },
            referrer = new { person = new { givenName = "Bryony", familyName = Mails.UniqueSurname() }, sourceOfKnowledge = "online" },
            concern = "A caller said she read online that the children are neglected.",
            localAuthority = Council,
        }), HttpStatusCode.Created);
        var id = sent.GetProperty("referralId").GetString()!;
        var statement = Assert.Single(Signals(await ReferralAsync(id), "no-first-hand-knowledge"));
        Assert.Contains(statement.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("Harbourside Police passed on the concern", StringComparison.Ordinal));
        var page = await (await Browserless.SignedInAsync(app, Triage)).GetStringAsync($"/children-services/referrals/{id}");
        Assert.Contains("concern passed on by Harbourside Police", page, StringComparison.Ordinal);

        // The officer's own concern stays a professional's.
        var own = await PoliceHttp.JsonAsync(await PoliceHttp.PostAsync(police, caseId, "child-concerns", new
        {
            children = new[] { family.Daughter },
            referrer = new { person = new { givenName = "Sam", familyName = "Hale", email = PoliceHttp.Investigator }, relationship = "officer in the case", sourceOfKnowledge = "second-hand" },
            concern = "At the victim's home the children seemed withdrawn.",
            localAuthority = Council,
        }), HttpStatusCode.Created);
        Assert.Empty(Signals(await ReferralAsync(own.GetProperty("referralId").GetString()!), "no-first-hand-knowledge"));
    }

    [Fact]
    public async Task A_member_of_the_public_referring_a_third_unrelated_family_is_flagged_and_a_professional_is_not()
    {
        var referrerFamily = Mails.UniqueSurname();
        var publicReferrer = new { person = new { givenName = "Morwenna", familyName = referrerFamily, email = $"morwenna@{referrerFamily.ToLowerInvariant()}.example" }, relationship = "neighbour", sourceOfKnowledge = "first-hand" };
        var client = PublicClient();
        var ids = new List<string>();
        foreach (var family in new[] { NewFamily(), NewFamily(), NewFamily() })
        {
            ids.Add(await ReferAsync(family, publicReferrer, "The children are left alone at night.", client));
        }
        Assert.Empty(Signals(await ReferralAsync(ids[1]), "referrer-history"));
        var third = Assert.Single(Signals(await ReferralAsync(ids[2]), "referrer-history"));
        Assert.Contains("3 unrelated families", third.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, third.GetProperty("evidence").GetArrayLength());

        // A police officer refers many families: that is the job, never a signal.
        var police = await app.ApiClientAsync(PoliceHttp.Investigator);
        var officer = new { person = new { givenName = "Sam", familyName = "Hale", email = "investigator@harbourside-police.example" }, relationship = "investigating officer", sourceOfKnowledge = "second-hand" };
        string? last = null;
        foreach (var family in new[] { NewFamily(), NewFamily(), NewFamily() })
        {
            last = await ReferAsync(family, officer, "Officers attended a domestic incident; the children were present.", police);
        }
        Assert.Empty(Signals(await ReferralAsync(last!)));
    }
}

/// <summary>The integrity check on the embedded SQLite store (and, sharing its file, the CLI).</summary>
public sealed class IntegrityCheckTests(TestApp fixture) : IntegrityCheckContract(fixture), IClassFixture<TestApp>
{
    [Fact]
    public async Task An_agreement_recorded_later_with_threshold_agreements_add_makes_the_open_referrals_match()
    {
        var slug = $"westmere-{Guid.NewGuid():n}"[..20];
        await App.Administration.RegisterAgencyAsync(slug, "Westmere Police", "police", null, "test", default);
        await App.Administration.AddUserAsync(slug, $"dc@{slug}.example", "investigator", "DC Rhian Tull", null, "threshold-demo-pass", "test", default);
        var family = new { Mother = Mails.UniqueSurname(), Suspect = Mails.UniqueSurname() };
        var police = await App.ApiClientAsync($"dc@{slug}.example", "threshold-demo-pass");
        var email = $"dale.{family.Suspect.ToLowerInvariant()}@example.net";
        await PoliceHttp.JsonAsync(await police.PostAsJsonAsync("/api/v1/police/cases", new
        {
            victim = PoliceHttp.Person("Alex", family.Mother, "1983-06-21", postcode: "RV2 4CD"),
            suspect = PoliceHttp.Person("Dale", family.Suspect, "1978-01-30", email),
            household = new[] { PoliceHttp.Person("Ruby", family.Mother, "2015-09-09", postcode: "RV2 4CD") },
            offence = "stalking",
            summary = "Following her to work.",
        }), HttpStatusCode.Created);
        var referral = await PoliceHttp.JsonAsync(await (await App.ApiClientAsync(PoliceHttp.Investigator)).PostAsJsonAsync("/api/v1/referrals", new
        {
            localAuthority = "riverside-council",
            children = new[] { PoliceHttp.Person("Ruby", family.Mother, "2015-09-09", postcode: "RV2 4CD") },
            carers = new[] { new { givenName = "Alex", familyName = family.Mother, role = "mother" } },
            referrer = new { person = new { givenName = "Dale", familyName = family.Suspect, email }, relationship = "caller to Harbourside Police", sourceOfKnowledge = "unknown" },
            concern = "A caller says the child is neglected.",
        }), HttpStatusCode.Created);
        var id = referral.GetProperty("id").GetString()!;
        var triage = await App.ApiClientAsync("triage-worker@riverside-council.example");
        Assert.Equal(0, (await triage.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}")).GetProperty("integritySignals").GetArrayLength());

        var run = await ThresholdProcess.RunAsync(["agreements", "add", "--agencies", $"{slug},riverside-council", "--data", App.DataDirectory]);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("The integrity check ran again on", run.Stdout, StringComparison.Ordinal);

        var after = await triage.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}");
        var signal = Assert.Single(after.GetProperty("integritySignals").EnumerateArray(), s => s.GetProperty("kind").GetString() == "referrer-is-suspect");
        Assert.Contains("Westmere Police", signal.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("DC Rhian Tull", signal.GetProperty("contact").GetString(), StringComparison.Ordinal);
        var page = await (await Browserless.SignedInAsync(App, "triage-worker@riverside-council.example")).GetStringAsync($"/children-services/referrals/{id}");
        Assert.Contains("information-sharing agreement", page, StringComparison.Ordinal);
    }
}

/// <summary>The same on PostgreSQL: a fresh demo store in its own schema for each test.</summary>
[Collection("postgres")]
public sealed class IntegrityCheckOnPostgresTests : IntegrityCheckContract, IAsyncLifetime
{
    private readonly TestApp _app;

    public IntegrityCheckOnPostgresTests(PostgresServer postgres)
        : this(new TestApp(postgres.ConnectionStringFor(PostgresServer.NewSchemaName("integrity"))))
    {
    }

    private IntegrityCheckOnPostgresTests(TestApp app)
        : base(app) => _app = app;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();
}
