using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Records;
using Threshold.Domain.Safeguarding;
using Threshold.Storage.Safeguarding;

namespace Threshold.Safeguarding;

// The stable contract's shapes (DESIGN.md): person, carer (person + flat role), referrer.
public sealed record AddressBody(string? Line1, string? Town, string? Postcode);

public sealed record PersonBody(string? GivenName, string? FamilyName, string? DateOfBirth, string? Email, string? Phone, AddressBody? Address)
{
    public PersonDetails ToDetails() => new(GivenName, FamilyName, DateOfBirth, Email, Phone,
        Address is null ? null : new PostalAddress(Address.Line1, Address.Town, Address.Postcode));

    public static PersonBody From(PersonDetails p) => new(p.GivenName, p.FamilyName, p.DateOfBirth, p.Email, p.Phone,
        p.Address is null ? null : new AddressBody(p.Address.Line1, p.Address.Town, p.Address.Postcode));
}

public sealed record CarerBody(string? GivenName, string? FamilyName, string? DateOfBirth, string? Email, string? Phone, AddressBody? Address, string? Role);

public sealed record ReferrerBody(PersonBody? Person, string? Relationship, string? SourceOfKnowledge, bool? Anonymous);

public sealed record ReferralBody(string? LocalAuthority, List<PersonBody?>? Children, List<CarerBody?>? Carers, ReferrerBody? Referrer, string? Concern, bool? ImmediateDanger, string? Nation);

public sealed record ReferralCreated(string Id, string Reference, DateTimeOffset TriageDueBy);

public sealed record AnnotationView(string Text, string By, DateTimeOffset At);

public sealed record TriageView(string Decision, string Title, string Reasons, DateTimeOffset DecidedAt, bool WithinOneWorkingDay, DateTimeOffset? AssessmentDueBy);

public sealed record StrategyView(DateOnly HeldOn, string Chair, IReadOnlyList<MeetingAttendee> Attendees, string InformationConsidered, string Decision, string Rationale, DateTimeOffset? InitialConferenceDueBy);

public sealed record OutcomeView(string Outcome, string Title, string Reasons, DateTimeOffset? InitialConferenceDueBy);

public sealed record FindingView(string Finding, string Reasons, bool AwaitingManagerConfirmation, string? ConfirmedBy);

public sealed record RetentionView(string RecordType, string Rule, string Source);

public sealed record ReferralView(
    string Id, string Reference, string LocalAuthority, string Door, string Status, DateTimeOffset ReceivedAt, DateTimeOffset TriageDueBy,
    bool ImmediateDanger, IReadOnlyList<AnnotationView> Annotations, bool Restricted,
    IReadOnlyList<PersonBody>? Children, IReadOnlyList<CarerBody>? Carers, object? Referrer, string? Concern,
    TriageView? Triage, StrategyView? StrategyDiscussion, OutcomeView? Section47Outcome, FindingView? Finding,
    RetentionView Retention, IReadOnlyList<IntegritySignalView> IntegritySignals, IReadOnlyList<AgencyToldView> AgenciesTold, long Version);

/// <summary>What another agency was told about the referral, by whom and when.</summary>
public sealed record AgencyToldView(string Agency, string AgencyName, string Text, string ToldBy, DateTimeOffset At);

/// <summary>A signal as the council's triage worker sees it: never the other agency's record, only what it holds and whom to ask.</summary>
public sealed record IntegritySignalView(string Kind, string Strength, string Explanation, string? Contact, IReadOnlyList<string> Evidence)
{
    public static IntegritySignalView From(IntegritySignal s) => new(s.Kind, s.Strength, s.Explanation, s.Contact, s.Evidence ?? []);
}

public sealed record TriageBody(string? Decision, string? Reasons, long? ExpectedVersion);

public sealed record AttendeeBody(string? Name, string? Agency, string? Role);

public sealed record StrategyBody(string? HeldOn, string? Chair, List<AttendeeBody?>? Attendees, string? InformationConsidered, string? Decision, string? Rationale, long? ExpectedVersion);

public sealed record OutcomeBody(string? Outcome, string? Reasons, long? ExpectedVersion);

public sealed record AgencyNoticeBody(string? Agency, string? Text, long? ExpectedVersion);

public sealed record AgencyNoticeView(string Council, string Referral, string Text, DateTimeOffset ReceivedAt);

public sealed record FindingBody(string? Finding, string? Reasons, long? ExpectedVersion);

public sealed record NoteBody(string? Text, long? ExpectedVersion);

public sealed record WorkListItem(string Id, string Reference, string Status, DateTimeOffset ReceivedAt, DateTimeOffset TriageDueBy, bool ImmediateDanger, bool Overdue, string? Children, bool Restricted, string? Annotation);

/// <summary>
/// The referral routes of the stable contract (POST/GET/DELETE /api/v1/referrals) and the front
/// door's own routes under /api/v1/children-services. Writes load the referral through the read
/// gateway, ask the domain for the next event and append it at the version read.
/// </summary>
public static class ReferralsApi
{
    public const string PublicReferralRateLimit = "public-referral";

    /// <summary>Anonymous referrals allowed per client address per <see cref="PublicWindow"/>.</summary>
    public const int PublicReferralsPerWindow = 5;

    public static readonly TimeSpan PublicWindow = TimeSpan.FromMinutes(10);

    public static void Map(WebApplication app)
    {
        var referrals = app.MapGroup("/api/v1/referrals").WithTags("Referrals");
        referrals.MapPost("", SubmitAsync)
            .AllowAnonymous()
            .RequireRateLimiting(PublicReferralRateLimit)
            .WithSummary("Make a safeguarding referral to a local authority's children's services")
            .WithDescription("With a bearer token: a professional or agency referral (shared back with the referring agency). With no Authorization header: a public referral, anonymous allowed, rate-limited per address.");
        referrals.MapGet("/{id}", ReadAsync)
            .RequireAuthorization("api")
            .WithSummary("A referral with its triage deadline (Europe/London, with offset), decisions, annotations first, and integrity signals");
        referrals.MapDelete("/{id}", RefuseDelete)
            .AllowAnonymous()
            .WithSummary("Referrals are never deleted: always 405 citing the retention policy");

        var cs = app.MapGroup("/api/v1/children-services").WithTags("Children's services").RequireAuthorization("api");
        cs.MapPost("/referrals/{id}/triage", TriageAsync).WithSummary("Record the triage decision with reasons (no-further-action, early-help, assessment, strategy-discussion)");
        cs.MapPost("/referrals/{id}/strategy-discussion", StrategyAsync).WithSummary("Record the strategy discussion or panel: date, chair, attendees and agencies, information considered, decision, rationale");
        cs.MapPost("/referrals/{id}/section-47-outcome", OutcomeAsync).WithSummary("Record the section 47 enquiry's outcome with reasons");
        cs.MapPost("/referrals/{id}/finding", FindingAsync).WithSummary("Record the finding on the allegation (malicious needs a manager's confirmation)");
        cs.MapPost("/referrals/{id}/finding/confirmation", ConfirmAsync).WithSummary("A manager confirms a malicious finding");
        cs.MapPost("/referrals/{id}/annotations", AnnotateAsync).WithSummary("A manager annotates the referral; shown first on every view");
        cs.MapPost("/referrals/{id}/restriction", RestrictAsync).WithSummary("A manager restricts the referral's content to the records officer and auditors");
        cs.MapPost("/referrals/{id}/feedback", FeedbackAsync).WithSummary("Record the feedback given to the referrer (what they may be told)");
        cs.MapPost("/referrals/{id}/family-letter", FamilyLetterAsync).WithSummary("Send the family the outcome by letter: answers with the letter as PDF; its SHA-256 is recorded (FamilyInformed) and in X-Letter-Sha256");
        cs.MapGet("/referrals/{id}/family-letters/{sha256}", SentLetterAsync).WithSummary("A copy of a family letter already sent, by the SHA-256 recorded when it was sent (PDF)");
        cs.MapGet("/work-lists/{list}", WorkListAsync).WithSummary("A work list: new, due-today, overdue, awaiting-panel, awaiting-manager-confirmation");
        cs.MapPost("/referrals/{id}/agency-notices", TellAgencyAsync)
            .WithSummary("A manager tells another agency (under an information-sharing agreement) what the council decided it may know: {agency, text}");
        app.MapGet("/api/v1/notices", NoticesAsync).RequireAuthorization("api").WithTags("Children's services")
            .WithSummary("What councils told the signed-in user's agency about their referrals (only the words the council chose, and the reference)");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);

    private static ProblemHttpResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, "Not found", $"There is no referral '{id}' that you can see.");

    private static async Task<Results<Created<ReferralCreated>, ProblemHttpResult>> SubmitAsync(HttpContext http, ReferralService service, Storage.Administration.AdministrationQueries admin, CancellationToken ct)
    {
        // Anonymous when there is no Authorization header or an empty one; otherwise the token must be good.
        CurrentUser? user = null;
        if (!string.IsNullOrWhiteSpace(http.Request.Headers.Authorization))
        {
            var auth = await http.AuthenticateAsync(BearerTokenHandler.SchemeName);
            if (!auth.Succeeded || CurrentUser.From(auth.Principal!) is not { } u)
            {
                return Problem(StatusCodes.Status401Unauthorized, "Not signed in", "The bearer token was not accepted. Leave the Authorization header out to refer as a member of the public.");
            }
            user = u;
        }
        ReferralBody? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<ReferralBody>(ct);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "The body must be JSON: {localAuthority, children:[person], carers:[carer], referrer, concern}.");
        }
        if (body is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad request", "Send the referral as JSON.");
        }
        try
        {
            var submission = await ToSubmissionAsync(body, user, admin, ct);
            var received = await service.SubmitAsync(submission, user?.Actor ?? $"public:{http.Connection.RemoteIpAddress}", ct);
            return TypedResults.Created($"/api/v1/referrals/{received.ReferralId}",
                new ReferralCreated(received.ReferralId, received.Reference, LondonTime.ToLocal(received.TriageDueBy)));
        }
        catch (DomainRuleException e) when (e.Rule == ReferralService.LocalAuthorityNotFound)
        {
            return Problem(StatusCodes.Status404NotFound, e.Rule, e.Message);
        }
    }

    /// <summary>Maps the contract's JSON onto the domain's submission; a professional's own agency becomes the referrer's agency.</summary>
    internal static async Task<ReferralSubmission> ToSubmissionAsync(ReferralBody body, CurrentUser? user, Storage.Administration.AdministrationQueries admin, CancellationToken ct)
    {
        var r = body.Referrer;
        var anonymous = user is null && (r?.Anonymous == true || r?.Person is null);
        var person = r?.Person?.ToDetails();
        if (user is not null && person is null)
        {
            person = new PersonDetails(user.DisplayName, null, null, user.Email, null, null);
        }
        string? agencyId = null;
        string? agencyName = null;
        if (user is not null)
        {
            agencyId = user.AgencyId;
            agencyName = (await admin.FindAgencyAsync(user.AgencyId, ct))?.Name ?? user.AgencyName;
        }
        var door = user is null ? ReferralDoors.Public : user.AgencyKind == AgencyKind.ChildrenServices.ToSlug() ? ReferralDoors.Professional : ReferralDoors.Agency;
        return new ReferralSubmission(
            body.LocalAuthority ?? "",
            [.. (body.Children ?? []).Select(c => c is null ? new PersonDetails(null, null, null, null, null, null) : c.ToDetails())],
            [.. (body.Carers ?? []).OfType<CarerBody>().Select(c => new CarerDetails(
                new PersonDetails(c.GivenName, c.FamilyName, c.DateOfBirth, c.Email, c.Phone, c.Address is null ? null : new PostalAddress(c.Address.Line1, c.Address.Town, c.Address.Postcode)),
                c.Role ?? "carer"))],
            new ReferrerDetails(anonymous, anonymous ? null : person, r?.Relationship, r?.SourceOfKnowledge ?? "unknown", agencyId, agencyName),
            body.Concern,
            body.ImmediateDanger ?? false,
            door,
            body.Nation);
    }

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> ReadAsync(string id, HttpContext http, ReferralService service, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var loaded = await service.LoadAsync(user, id, ReadChannel.Api, "referral read (API)", ct);
        return loaded is null ? NotFound(id) : TypedResults.Ok(View(loaded, user));
    }

    /// <summary>The referral as the API shows it: annotations first; restricted content only to the records officer and auditors.</summary>
    public static ReferralView View(LoadedReferral loaded, CurrentUser user)
    {
        var r = loaded.Referral;
        var p = r.Procedures;
        var showContent = !r.IsRestricted || ReferralService.CanReadRestricted(user);
        var retention = RetentionFor(r);
        return new ReferralView(
            loaded.Id, r.Received.Reference, r.Received.LocalAuthority, r.Received.Door, Slug(r.Status),
            LondonTime.ToLocal(r.Received.ReceivedAt), LondonTime.ToLocal(r.Received.TriageDueBy), r.Received.ImmediateDanger,
            [.. r.Annotations.Select(a => new AnnotationView(a.Text, a.AnnotatedBy, LondonTime.ToLocal(a.At)))], r.IsRestricted,
            showContent ? [.. r.Received.Children.Select(PersonBody.From)] : null,
            showContent ? [.. r.Received.Carers.Select(c => new CarerBody(c.Person.GivenName, c.Person.FamilyName, c.Person.DateOfBirth, c.Person.Email, c.Person.Phone,
                c.Person.Address is null ? null : new AddressBody(c.Person.Address.Line1, c.Person.Address.Town, c.Person.Address.Postcode), c.Role))] : null,
            showContent ? (r.Received.Referrer.Anonymous
                ? new { anonymous = true, relationship = r.Received.Referrer.Relationship, sourceOfKnowledge = r.Received.Referrer.SourceOfKnowledge }
                : new { person = r.Received.Referrer.Person is { } rp ? PersonBody.From(rp) : null, relationship = r.Received.Referrer.Relationship, sourceOfKnowledge = r.Received.Referrer.SourceOfKnowledge, agency = r.Received.Referrer.AgencyId })
                : null,
            showContent ? r.Concern : null,
            r.Triage is { } t ? new TriageView(t.Decision, p.Title(t.Decision), t.Reasons, LondonTime.ToLocal(t.DecidedAt), t.WithinTime, t.AssessmentDueBy is { } a ? LondonTime.ToLocal(a) : null) : null,
            r.StrategyDiscussion is { } s ? new StrategyView(s.HeldOn, s.Chair, s.Attendees, showContent ? s.InformationConsidered : "(restricted)", s.Decision, showContent ? s.Rationale : "(restricted)", null) : null,
            r.Section47Outcome is { } o ? new OutcomeView(o.Outcome, p.Title(o.Outcome), showContent ? o.Reasons : "(restricted)", o.InitialConferenceDueBy is { } c ? LondonTime.ToLocal(c) : null) : null,
            r.Finding is { } f ? new FindingView(f.Finding, showContent ? f.Reasons : "(restricted)", r.AwaitingManagerConfirmation, r.MaliciousConfirmation?.ConfirmedBy) : null,
            new RetentionView(retention.Type, retention.Describe(), RetentionSchedule.Default.Source),
            // The council's own triage information: not for the referring agency reading its shared copy, nor past a restriction.
            showContent && loaded.OwnerAgencyId == user.AgencyId ? [.. loaded.Signals.Select(IntegritySignalView.From)] : [],
            loaded.OwnerAgencyId == user.AgencyId ? [.. r.AgenciesTold.Select(t => new AgencyToldView(t.AgencyId, t.AgencyName, t.Text, t.ToldBy, LondonTime.ToLocal(t.At)))] : [],
            loaded.Version);
    }

    /// <summary>Which retention rule applies to the referral as it stands.</summary>
    public static RetentionRule RetentionFor(Referral r) => RetentionSchedule.Default.For(
        r.EffectiveFinding == "malicious" ? "allegation-malicious"
        : r.Section47Outcome is not null || r.Status == ReferralStatus.Section47Enquiry ? "child-protection"
        : r.Status == ReferralStatus.Closed ? "safeguarding-referral-no-further-action"
        : "safeguarding-referral");

    public static string Slug(ReferralStatus status) => status switch
    {
        ReferralStatus.Received => "received",
        ReferralStatus.Closed => "closed",
        ReferralStatus.EarlyHelp => "early-help",
        ReferralStatus.Assessment => "assessment",
        ReferralStatus.AwaitingStrategyDiscussion => "awaiting-strategy-discussion",
        ReferralStatus.Section47Enquiry => "section-47-enquiry",
        ReferralStatus.ConferenceDue => "conference-due",
        _ => status.ToString(),
    };

    private static ProblemHttpResult RefuseDelete(string id, HttpContext http)
    {
        http.Response.Headers.Allow = "GET";
        var schedule = RetentionSchedule.Default;
        return Problem(StatusCodes.Status405MethodNotAllowed, "Referrals are never deleted",
            $"A safeguarding referral is kept for its retention period and is never deleted, even when the allegation proves unfounded or malicious: " +
            $"a manager may annotate it and restrict its content instead. Retention policy {schedule.Version}: " +
            string.Join("; ", schedule.Rules.Where(rule => rule.Type.StartsWith("safeguarding", StringComparison.Ordinal) || rule.Type.StartsWith("allegation", StringComparison.Ordinal) || rule.Type == "child-protection").Select(rule => rule.Describe())) +
            $". Source: {schedule.Source}");
    }

    private static bool HasAnyRole(CurrentUser user, params string[] roles) => roles.Any(user.IsIn);

    private static ProblemHttpResult Forbidden(string what) => Problem(StatusCodes.Status403Forbidden, "Not your role", what);

    private delegate IEvent Step(Referral referral, CurrentUser user, DateTimeOffset now);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> ChangeAsync(
        string id, HttpContext http, ReferralService service, long? expectedVersion, string purpose, string[] roles, Step step, CancellationToken ct) =>
        ChangeAsync(id, http, service, purpose, roles, (loaded, user) => service.AppendAsync(loaded, user, expectedVersion, ct, step(loaded.Referral, user, service.Now)), ct);

    /// <summary>The user's role checked, the referral loaded for a change (404 when not theirs), <paramref name="change"/> made, and the referral as it now stands.</summary>
    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> ChangeAsync(
        string id, HttpContext http, ReferralService service, string purpose, string[] roles, Func<LoadedReferral, CurrentUser, Task> change, CancellationToken ct,
        string? refusal = null)
    {
        var user = CurrentUser.From(http.User)!;
        if (!HasAnyRole(user, roles))
        {
            return Forbidden(refusal ?? $"Only a {string.Join(" or ", roles)} can do this.");
        }
        var loaded = await service.LoadForChangeAsync(user, id, purpose, ReadChannel.Api, ct);
        if (loaded is null)
        {
            return NotFound(id);
        }
        await change(loaded, user);
        var after = await service.LoadAsync(user, id, ReadChannel.Api, purpose + " (result)", ct);
        return TypedResults.Ok(View(after!, user));
    }

    private static readonly string[] TriageRoles = [Role.TriageWorker.Slug, Role.SocialWorker.Slug, Role.Manager.Slug];
    private static readonly string[] CaseRoles = [Role.SocialWorker.Slug, Role.Manager.Slug];
    private static readonly string[] Managers = [Role.Manager.Slug];

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> TriageAsync(string id, TriageBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "triage decision", TriageRoles,
            (r, u, now) => r.DecideTriage(body.Decision ?? "", body.Reasons ?? "", u.Actor, now, ReferralService.Calendar), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> StrategyAsync(string id, StrategyBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "strategy discussion", CaseRoles,
            (r, u, now) => r.RecordStrategyDiscussion(ParseDate(body.HeldOn), body.Chair ?? "",
                [.. (body.Attendees ?? []).OfType<AttendeeBody>().Select(a => new MeetingAttendee(a.Name?.Trim() ?? "", a.Agency?.Trim() ?? "", a.Role?.Trim() ?? ""))],
                body.InformationConsidered ?? "", body.Decision ?? "", body.Rationale ?? "", u.Actor, now), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> OutcomeAsync(string id, OutcomeBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "section 47 outcome", CaseRoles,
            (r, u, now) => r.RecordSection47(body.Outcome ?? "", body.Reasons ?? "", u.Actor, now, ReferralService.Calendar), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> FindingAsync(string id, FindingBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "finding on the allegation", CaseRoles,
            (r, u, _) => r.RecordFinding(body.Finding ?? "", body.Reasons ?? "", u.Actor), ct);

    // The role check is the domain's (a named rule), so a social worker trying to confirm hears why.
    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> ConfirmAsync(string id, NoteBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "confirm malicious finding", CaseRoles,
            (r, u, _) => r.ConfirmMaliciousFinding(u.Actor, ReferralService.IsManager(u), body.Text ?? ""), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> AnnotateAsync(string id, NoteBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "annotation", CaseRoles,
            (r, u, now) => r.Annotate(ReferralIntake.CheckText(body.Text, "annotation", 2000), u.Actor, ReferralService.IsManager(u), now), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> RestrictAsync(string id, NoteBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "restriction", CaseRoles,
            (r, u, now) => r.Restrict(ReferralIntake.CheckText(body.Text, "reason", 2000), u.Actor, ReferralService.IsManager(u), now), ct);

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> TellAgencyAsync(string id, AgencyNoticeBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, "tell another agency", Managers, (loaded, user) => service.TellAgencyAsync(loaded, user, body.Agency, body.Text, body.ExpectedVersion, ct), ct,
            "Only a manager decides what another agency is told.");

    private static async Task<Ok<IReadOnlyList<AgencyNoticeView>>> NoticesAsync(HttpContext http, ReferralQueries queries, ReadGateway gateway, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var rows = await queries.NoticesForAsync(user.AgencyId, 100, ct);
        await gateway.AuditListAsync(user, "notices from councils", ReadChannel.Api, rows.Count, ct);
        return TypedResults.Ok<IReadOnlyList<AgencyNoticeView>>([.. rows.Select(r => new AgencyNoticeView(r.CouncilName, r.ReferralReference, r.Text,
            DateTimeOffset.Parse(r.ReceivedAt, System.Globalization.CultureInfo.InvariantCulture)))]);
    }

    private static Task<Results<Ok<ReferralView>, ProblemHttpResult>> FeedbackAsync(string id, NoteBody body, HttpContext http, ReferralService service, CancellationToken ct) =>
        ChangeAsync(id, http, service, body.ExpectedVersion, "referrer feedback", TriageRoles,
            (r, u, now) => r.GiveFeedback(ReferralIntake.CheckText(body.Text, "feedback", 5000), u.Actor, now), ct);

    /// <summary>Sends the family letter: answers with the PDF itself; its SHA-256 is in FamilyInformed and in the X-Letter-Sha256 header.</summary>
    private static async Task<IResult> FamilyLetterAsync(string id, NoteBody body, HttpContext http, ReferralService service, FamilyLetters letters, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        if (!HasAnyRole(user, CaseRoles))
        {
            return Forbidden($"Only a {string.Join(" or ", CaseRoles)} can do this.");
        }
        var loaded = await service.LoadForChangeAsync(user, id, "family letter", ReadChannel.Api, ct);
        if (loaded is null)
        {
            return NotFound(id);
        }
        var sent = await letters.SendAsync(loaded, user, body.Text, body.ExpectedVersion, ct);
        http.Response.Headers["X-Letter-Sha256"] = sent.Sha256;
        return TypedResults.File(sent.Pdf, "application/pdf", $"letter-{loaded.Referral.Received.Reference}.pdf");
    }

    /// <summary>A family letter already sent, by its recorded hash.</summary>
    private static async Task<IResult> SentLetterAsync(string id, string sha256, HttpContext http, ReferralService service, FamilyLetters letters, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var loaded = await service.LoadForChangeAsync(user, id, "family letter (copy)", ReadChannel.Export, ct);
        if (loaded is null || (loaded.Referral.IsRestricted && !ReferralService.CanReadRestricted(user)) || letters.Open(loaded, sha256) is not { } stream)
        {
            return NotFound(id);
        }
        return TypedResults.File(stream, "application/pdf", $"letter-{loaded.Referral.Received.Reference}-{sha256[..8]}.pdf");
    }

    private static DateOnly ParseDate(string? text) =>
        DateOnly.TryParseExact(text ?? "", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d
            : throw new DomainRuleException("DateMustBeADate", $"'{text}' is not a date: write it as yyyy-mm-dd.");

    public static bool TryParseList(string? text, out WorkList list)
    {
        (bool ok, list) = text switch
        {
            "new" => (true, WorkList.New),
            "due-today" => (true, WorkList.DueToday),
            "overdue" => (true, WorkList.Overdue),
            "awaiting-panel" => (true, WorkList.AwaitingPanel),
            "awaiting-manager-confirmation" => (true, WorkList.AwaitingManagerConfirmation),
            _ => (false, WorkList.New),
        };
        return ok;
    }

    private static async Task<Results<Ok<IReadOnlyList<WorkListItem>>, ProblemHttpResult>> WorkListAsync(
        string list, HttpContext http, FrontDoor frontDoor, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        if (user.AgencyKind != AgencyKind.ChildrenServices.ToSlug())
        {
            return Forbidden("Work lists are for children's services.");
        }
        if (!TryParseList(list, out var which))
        {
            return Problem(StatusCodes.Status404NotFound, "No such work list", "Work lists are: new, due-today, overdue, awaiting-panel, awaiting-manager-confirmation.");
        }
        var rows = await frontDoor.WorkListAsync(user, which, ReadChannel.Api, 100, ct);
        return TypedResults.Ok<IReadOnlyList<WorkListItem>>([.. rows.Select(r => frontDoor.Item(r, user))]);
    }
}
