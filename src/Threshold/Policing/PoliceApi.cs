using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;

namespace Threshold.Policing;

// Request bodies. People are the stable contract's "person" (PersonBody). expectedVersion is the
// case's version the caller read (GET …/cases/{id} → version); a stale one answers 409.
public sealed record CaseBody(PersonBody? Victim, PersonBody? Suspect, List<PersonBody?>? Suspects, List<PersonBody?>? Household, string? Offence, string? Summary, bool? DomesticAbuse);

public sealed record CaseCreated(string Id, string Reference, string Status, long Version);

public sealed record VersionBody(long? ExpectedVersion);

public sealed record IncidentBody(DateTimeOffset? OccurredAt, string? Channel, string? ContentReference, string? Summary, bool? AgainstVictim, long? ExpectedVersion);

public sealed record OffenceDecisionBody(string? Offence, string? Decision, string? Reasons, long? ExpectedVersion);

public sealed record AccountBody(int? Suspect, string? On, string? How, string? Account, string? Notes, long? ExpectedVersion);

public sealed record VictimViewsBody(string? On, string? How, string? Views, long? ExpectedVersion);

public sealed record DisposalBody(string? Disposal, int? Suspect, string? OutcomeReason, List<string>? Conditions, bool? EvidentialStandardMet, string? Reasons, long? ExpectedVersion);

public sealed record ReasonsBody(string? Reasons, long? ExpectedVersion);

public sealed record VictimUpdateBody(string? On, string? How, string? What, string? NextUpdateDue, long? ExpectedVersion);

public sealed record InstructionBody(string? IssuedOn, int? Suspect, List<string>? ProtectedOffices, long? ExpectedVersion);

public sealed record InstructionCreated(string Id, string CaseId, DateOnly IssuedOn, string? StatutoryOrder, long Version);

public sealed record OrderBody(string? Kind, int? Suspect, string? MadeOn, string? EndsOn, string? Court, List<string>? Terms, long? ExpectedVersion);

public sealed record IntelligenceBody(PersonBody? Subject, string? Summary, string? SourceEvaluation, string? IntelligenceAssessment, string? HandlingCode, string? HandlingRestrictions, long? ExpectedVersion);

public sealed record ChildConcernReferrerBody(PersonBody? Person, string? Relationship, string? SourceOfKnowledge);

public sealed record ChildConcernBody(List<PersonBody?>? Children, List<CarerBody?>? Carers, ChildConcernReferrerBody? Referrer, string? Concern, bool? ImmediateDanger, string? LocalAuthority, long? ExpectedVersion);

public sealed record ChildConcernCreated(string ReferralId, string Reference, string LocalAuthority, DateTimeOffset TriageDueBy, long CaseVersion);

public sealed record CloseBody(string? Reason, long? ExpectedVersion);

/// <summary>
/// The police routes under /api/v1/police (bearer token). The two stable routes — POST /cases and
/// POST /cases/{id}/no-contact-instructions — exactly as DESIGN.md says, and routes for the rest of
/// the case. Roles per route (contact handler, investigator, supervisor) answer 403; another agency's
/// case is 404 (the read gateway); a refused rule 422; a stale version 409; malformed JSON 400.
/// </summary>
public static class PoliceApi
{
    public static void Map(WebApplication app)
    {
        var police = app.MapGroup("/api/v1/police").WithTags("Police").RequireAuthorization("api");
        police.MapPost("/cases", OpenAsync).WithSummary("Record a crime report as a police case: {victim: person, suspect: person, offence, summary} → {id}")
            .WithDescription("offence is a catalogue code or an alias: harassment, stalking, malicious-communications, threatening-communications, false-communications. Optional: suspects, household, domesticAbuse.");
        police.MapPost("/reports/{reportId}/cases", OpenFromReportAsync).WithSummary("Open a case from an office's report shared with the force: its evidence pack's contacts become incidents");
        police.MapGet("/cases/{id}", ReadAsync).WithSummary("The case: people, incidents, the offence catalogue's advice per offence, decisions, disposal, instructions, orders, intelligence, referrals and alerts, next steps and version");
        police.MapPost("/cases/{id}/investigation", StartAsync).WithSummary("Take the case on as officer in the case: the investigation starts");
        police.MapPost("/cases/{id}/incidents", IncidentAsync).WithSummary("Record an incident: date and time, channel, content reference");
        police.MapPost("/cases/{id}/offence-decision", OffenceDecisionAsync).WithSummary("Record the offence decision with reasons (the catalogue advises; the officer decides)");
        police.MapPost("/cases/{id}/suspect-accounts", AccountAsync).WithSummary("Record the suspect's account at interview or voluntary attendance: admitted, denied or no-comment");
        police.MapPost("/cases/{id}/victim-views", VictimViewsAsync).WithSummary("Record the victim's views with the date and how they were obtained");
        police.MapPost("/cases/{id}/disposal", ProposeAsync).WithSummary("Propose a disposal (its rules: admission, evidential standard, victim's views, not community resolution for domestic abuse)");
        police.MapPost("/cases/{id}/disposal/authorisation", AuthoriseAsync).WithSummary("A supervisor who is not the proposer authorises the disposal; an intelligence entry is recorded with it");
        police.MapPost("/cases/{id}/disposal/rejection", RejectAsync).WithSummary("A supervisor sends the proposed disposal back with reasons");
        police.MapPost("/cases/{id}/victim-updates", VictimUpdateAsync).WithSummary("Record that the victim was informed, and when the next update is due");
        police.MapPost("/cases/{id}/no-contact-instructions", InstructionAsync).WithSummary("Record a no-contact instruction {issuedOn} against the case's suspect, protecting the victim and her household")
            .WithDescription("Optional: suspect (0-based place in the case's suspects), protectedOffices (office agency ids whose incoming contact is checked, besides the office that reported).");
        police.MapPost("/cases/{id}/orders", OrderAsync).WithSummary("Record a statutory order (restraining-order, stalking-protection-order, domestic-abuse-protection-order) with its terms and end date");
        police.MapPost("/cases/{id}/intelligence", CaseIntelligenceAsync).WithSummary("Record an intelligence entry on demand (subject defaults to the suspect; 3x5x2 grading)");
        police.MapPost("/cases/{id}/child-concerns", ChildConcernAsync).WithSummary("Pass a concern for a child to the right local authority as a safeguarding referral (by the child's postcode, or the council named)");
        police.MapPost("/cases/{id}/closure", CloseAsync).WithSummary("Close the case once its disposal is authorised");
        police.MapPost("/intelligence", IntelligenceAsync).WithSummary("Record an intelligence entry with no case");
        police.MapGet("/intelligence", SearchAsync).WithSummary("Search intelligence by person (givenName, familyName, dateOfBirth, email, phone, postcode), scored by Threshold.Matching");
        police.MapGet("/work-lists/{list}", WorkListAsync).WithSummary("A work list: my-cases, new-reports, awaiting-authorisation, overdue-victim-updates");
        police.MapGet("/alerts", AlertsAsync).WithSummary("Further-contact and breach alerts (mine=true for the officer's own, breaches=true for possible breaches of orders)");
        police.MapGet("/catalogues/offences", () => TypedResults.Ok(OffenceCatalogue.Default)).WithSummary("The offence catalogue: sections, limbs with commencement and repeal dates, aliases, sources");
        police.MapGet("/catalogues/disposals", (PoliceCaseService s) => TypedResults.Ok(new { framework = s.Framework, available = DisposalCatalogue.Default.For(s.Framework), catalogue = DisposalCatalogue.Default }))
            .WithSummary("The disposal catalogue and the framework in force here");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);

    private static ProblemHttpResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, "Not found", $"There is no police case '{id}' that you can see.");

    private static ProblemHttpResult Forbidden(string[] roles) =>
        Problem(StatusCodes.Status403Forbidden, "Not your role", $"Only a police {string.Join(" or ", roles)} can do this.");

    /// <summary>The caller, when a police user in one of the roles; otherwise the 403 to answer.</summary>
    private static (CurrentUser? User, ProblemHttpResult? Refusal) Caller(HttpContext http, string[] roles)
    {
        var user = CurrentUser.From(http.User)!;
        return user.AgencyKind == AgencyKind.Police.ToSlug() && PoliceRoles.Any(user, roles) ? (user, null) : (null, Forbidden(roles));
    }

    private static DateOnly Date(string? text, string what) =>
        DateOnly.TryParseExact(text?.Trim() ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new DomainRuleException("DateMustBeADate", $"The {what} '{text}' is not a date: write it as yyyy-mm-dd.");

    private static DateOnly? OptionalDate(string? text, string what) => string.IsNullOrWhiteSpace(text) ? null : Date(text, what);

    private static PersonDetails Person(PersonBody? p) => p?.ToDetails() ?? new PersonDetails(null, null, null, null, null, null);

    private static async Task<Results<Created<CaseCreated>, ProblemHttpResult>> OpenAsync(CaseBody body, HttpContext http, PoliceCaseService cases, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Report) is not ({ } user, null) )
        {
            return Forbidden(PoliceRoles.Report);
        }
        var loaded = await cases.OpenAsync(user, Submission(body), ct);
        return TypedResults.Created($"/api/v1/police/cases/{loaded.Id}", new CaseCreated(loaded.Id, loaded.Case.Opened.Reference, PoliceCaseView.Slug(loaded.Case.Status), loaded.Version));
    }

    private static CrimeReportSubmission Submission(CaseBody body) => new(
        body.Victim?.ToDetails(),
        [.. (body.Suspect is null ? [] : new[] { body.Suspect }).Concat(body.Suspects ?? []).OfType<PersonBody>().Select(p => p.ToDetails())],
        [.. (body.Household ?? []).OfType<PersonBody>().Select(p => p.ToDetails())],
        body.Offence, body.Summary, body.DomesticAbuse ?? false);

    private static async Task<Results<Created<CaseCreated>, ProblemHttpResult>> OpenFromReportAsync(string reportId, CaseBody body, HttpContext http, PoliceCaseService cases, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Report) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Report);
        }
        var loaded = await cases.OpenFromReportAsync(user, reportId, Submission(body), ct);
        return loaded is null
            ? Problem(StatusCodes.Status404NotFound, "Not found", $"There is no report '{reportId}' sent to your force.")
            : TypedResults.Created($"/api/v1/police/cases/{loaded.Id}", new CaseCreated(loaded.Id, loaded.Case.Opened.Reference, PoliceCaseView.Slug(loaded.Case.Status), loaded.Version));
    }

    private static async Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> ReadAsync(string id, HttpContext http, PoliceWorkLists lists, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Read) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Read);
        }
        var view = await lists.CaseViewAsync(user, id, ReadChannel.Api, ct);
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    private delegate Task<LoadedPoliceCase?> Change(CurrentUser user);

    private static async Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> ChangeAsync(string id, HttpContext http, PoliceWorkLists lists, string[] roles, Change change, CancellationToken ct)
    {
        if (Caller(http, roles) is not ({ } user, null))
        {
            return Forbidden(roles);
        }
        var after = await change(user);
        return after is null ? NotFound(id) : TypedResults.Ok(await lists.ViewAsync(user, after, ReadChannel.Api, ct));
    }

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> StartAsync(string id, VersionBody? body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.StartInvestigationAsync(u, id, body?.ExpectedVersion, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> IncidentAsync(string id, IncidentBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordIncidentAsync(u, id, body.ExpectedVersion,
            body.OccurredAt ?? throw new DomainRuleException("IncidentNeedsDateTime", "Give the incident's date and time (occurredAt, ISO 8601)."),
            body.Channel, body.ContentReference, body.Summary, body.AgainstVictim ?? true, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> OffenceDecisionAsync(string id, OffenceDecisionBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordOffenceDecisionAsync(u, id, body.ExpectedVersion, body.Offence, body.Decision, body.Reasons, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> AccountAsync(string id, AccountBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordSuspectAccountAsync(u, id, body.ExpectedVersion, body.Suspect ?? 0,
            OptionalDate(body.On, "date of the account") ?? cases.Today, body.How, body.Account, body.Notes, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> VictimViewsAsync(string id, VictimViewsBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordVictimViewsAsync(u, id, body.ExpectedVersion,
            OptionalDate(body.On, "date the views were obtained") ?? cases.Today, body.How, body.Views, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> ProposeAsync(string id, DisposalBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.ProposeDisposalAsync(u, id, body.ExpectedVersion, body.Suspect ?? 0, body.Disposal, body.OutcomeReason,
            body.Conditions, body.EvidentialStandardMet ?? false, body.Reasons, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> AuthoriseAsync(string id, ReasonsBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Authorise, u => cases.AuthoriseDisposalAsync(u, id, body.ExpectedVersion, body.Reasons, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> RejectAsync(string id, ReasonsBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Authorise, u => cases.RejectDisposalAsync(u, id, body.ExpectedVersion, body.Reasons, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> VictimUpdateAsync(string id, VictimUpdateBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.InformVictimAsync(u, id, body.ExpectedVersion, OptionalDate(body.On, "date the victim was told") ?? cases.Today,
            body.How, body.What, OptionalDate(body.NextUpdateDue, "next update date"), ct), ct);

    private static async Task<Results<Created<InstructionCreated>, ProblemHttpResult>> InstructionAsync(string id, InstructionBody body, HttpContext http, PoliceCaseService cases, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Investigate) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Investigate);
        }
        var issuedOn = OptionalDate(body.IssuedOn, "issue date") ?? cases.Today;
        var after = await cases.IssueNoContactInstructionAsync(user, id, body.ExpectedVersion, issuedOn, body.Suspect ?? 0, body.ProtectedOffices, ct);
        if (after is null)
        {
            return NotFound(id);
        }
        var n = after.Case.Instructions[^1];
        return TypedResults.Created($"/api/v1/police/cases/{after.Id}", new InstructionCreated(n.InstructionId, after.Id, n.IssuedOn, n.StatutoryOrder, after.Version));
    }

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> OrderAsync(string id, OrderBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordStatutoryOrderAsync(u, id, body.ExpectedVersion, body.Kind, body.Suspect ?? 0,
            OptionalDate(body.MadeOn, "date the order was made") ?? throw new DomainRuleException("OrderNeedsDate", "Give the date the order was made (madeOn, yyyy-mm-dd)."),
            OptionalDate(body.EndsOn, "end date"), body.Court, body.Terms, ct), ct);

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> CaseIntelligenceAsync(string id, IntelligenceBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.RecordIntelligenceAsync(u, id, body.ExpectedVersion, body.Subject?.ToDetails(), body.Summary,
            body.SourceEvaluation, body.IntelligenceAssessment, body.HandlingCode, body.HandlingRestrictions, ct), ct);

    private static async Task<Results<Created<IntelligenceEntryRecorded>, ProblemHttpResult>> IntelligenceAsync(IntelligenceBody body, HttpContext http, PoliceCaseService cases, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Investigate) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Investigate);
        }
        var entry = await cases.RecordIntelligenceAsync(user, Person(body.Subject), body.Summary, body.SourceEvaluation, body.IntelligenceAssessment, body.HandlingCode, body.HandlingRestrictions, ct);
        return TypedResults.Created($"/api/v1/police/intelligence/{entry.EntryId}", entry);
    }

    private static async Task<Results<Ok<IReadOnlyList<IntelligenceHit>>, ProblemHttpResult>> SearchAsync(HttpContext http, IntelligenceSearch search,
        string? givenName, string? familyName, string? dateOfBirth, string? email, string? phone, string? postcode, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Read) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Read);
        }
        if (string.IsNullOrWhiteSpace(familyName) && string.IsNullOrWhiteSpace(dateOfBirth) && string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phone) && string.IsNullOrWhiteSpace(postcode))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "Search by at least one of familyName, dateOfBirth, email, phone or postcode.");
        }
        var person = new PersonDetails(givenName, familyName, dateOfBirth, email, phone, postcode is null ? null : new PostalAddress(null, null, postcode));
        return TypedResults.Ok(await search.SearchAsync(user, person, ReadChannel.Search, ct: ct));
    }

    private static async Task<Results<Created<ChildConcernCreated>, ProblemHttpResult>> ChildConcernAsync(string id, ChildConcernBody body, HttpContext http, ChildConcernReferrals concerns, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Report) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Report);
        }
        var r = body.Referrer;
        var concern = new ChildConcern(
            [.. (body.Children ?? []).Select(Person)],
            [.. (body.Carers ?? []).OfType<CarerBody>().Select(c => new CarerDetails(
                new PersonDetails(c.GivenName, c.FamilyName, c.DateOfBirth, c.Email, c.Phone, c.Address is null ? null : new PostalAddress(c.Address.Line1, c.Address.Town, c.Address.Postcode)),
                c.Role ?? "carer"))],
            new ReferrerDetails(r?.Person is null, r?.Person?.ToDetails(), r?.Relationship, r?.SourceOfKnowledge ?? "unknown", null, null),
            body.Concern, body.ImmediateDanger ?? false, body.LocalAuthority);
        try
        {
            var result = await concerns.ReferAsync(user, id, body.ExpectedVersion, concern, ct);
            if (result is not { } done)
            {
                return NotFound(id);
            }
            return TypedResults.Created($"/api/v1/referrals/{done.Referral.ReferralId}", new ChildConcernCreated(done.Referral.ReferralId, done.Referral.Reference,
                done.Referral.LocalAuthority, Domain.Calendar.LondonTime.ToLocal(done.Referral.TriageDueBy), done.Case.Version));
        }
        catch (DomainRuleException e) when (e.Rule == ReferralService.LocalAuthorityNotFound)
        {
            return Problem(StatusCodes.Status404NotFound, e.Rule, e.Message);
        }
    }

    private static Task<Results<Ok<PoliceCaseView>, ProblemHttpResult>> CloseAsync(string id, CloseBody body, HttpContext http, PoliceCaseService cases, PoliceWorkLists lists, CancellationToken ct) =>
        ChangeAsync(id, http, lists, PoliceRoles.Investigate, u => cases.CloseAsync(u, id, body.ExpectedVersion, body.Reason, ct), ct);

    private static async Task<Results<Ok<IReadOnlyList<PoliceWorkItem>>, ProblemHttpResult>> WorkListAsync(string list, HttpContext http, PoliceWorkLists lists, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Read) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Read);
        }
        var items = await lists.ListAsync(user, list, ReadChannel.Api, ct: ct);
        return items is null
            ? Problem(StatusCodes.Status404NotFound, "No such work list", $"Work lists are: {string.Join(", ", PoliceWorkLists.Names)}.")
            : TypedResults.Ok(items);
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertView>>, ProblemHttpResult>> AlertsAsync(HttpContext http, PoliceWorkLists lists, bool? mine, bool? breaches, CancellationToken ct)
    {
        if (Caller(http, PoliceRoles.Read) is not ({ } user, null))
        {
            return Forbidden(PoliceRoles.Read);
        }
        return TypedResults.Ok(await lists.AlertsAsync(user, mine ?? false, breaches ?? false, ReadChannel.Api, ct: ct));
    }
}
