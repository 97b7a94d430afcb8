using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Records;
using Threshold.Domain.Safeguarding;
using Threshold.Matching;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;
using Threshold.Storage;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;
using Threshold.Storage.Safeguarding;

namespace Threshold.Safeguarding;

public sealed record SubjectAccessBody(PersonBody? Subject, string? ReceivedOn);

public sealed record SubjectAccessCreated(string Id, DateOnly ReceivedOn, DateOnly DueOn);

public sealed record SubjectAccessDecisionBody(string? ReferralId, string? Reason);

/// <summary>
/// Subject access requests for the council's records officer: logged with the one-month clock, then
/// an export of every referral naming the person, with the referrer's identity redacted unless the
/// records officer lifted it with a reason, and referrals under the serious-harm exemption withheld.
/// Every export is audited (a read through the gateway per referral, and an event on the request).
/// </summary>
public static class SubjectAccessApi
{
    public static string StreamId(string id) => $"sar:{id}";

    /// <summary>What stands in the PDF where a third party's identity was.</summary>
    public const string Redacted = "[redacted: third party]";

    public const string RedactionNote = "Third-party identity redacted (UK GDPR Art. 15(4); Data Protection Act 2018, Sch. 2 para 16).";

    public static void Map(WebApplication app)
    {
        var sar = app.MapGroup("/api/v1/children-services/subject-access-requests").WithTags("Children's services").RequireAuthorization("api");
        sar.MapPost("", LogAsync).WithSummary("Log a subject access request; due one calendar month from receipt (records officer)");
        sar.MapPost("/{id}/redactions", LiftAsync).WithSummary("Lift the redaction of the referrer's identity in one referral, with a recorded reason (records officer)");
        sar.MapPost("/{id}/exemptions", ExemptAsync).WithSummary("Record the social-work serious-harm exemption for one referral (records officer)");
        sar.MapGet("/{id}/export", (string id, HttpContext http, ThresholdStore store, ReadGateway gateway, ReferralService service, ReferralQueries queries, CancellationToken ct) =>
                ExportAsync(id, "json", http, store, gateway, service, queries, ct))
            .WithSummary("Export everything held about the person as JSON, redacted; the export is audited");
        sar.MapGet("/{id}/export.{format}", ExportAsync)
            .WithSummary("Export everything held about the person as PDF (export.pdf) or JSON (export.json), redacted; the export is audited");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);

    private static bool IsRecordsOfficer(CurrentUser u) => u.IsIn(Role.RecordsOfficer.Slug) && u.AgencyKind == AgencyKind.ChildrenServices.ToSlug();

    private static async Task<Results<Created<SubjectAccessCreated>, ProblemHttpResult>> LogAsync(SubjectAccessBody body, HttpContext http, ThresholdStore store, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        if (!IsRecordsOfficer(user))
        {
            return Problem(StatusCodes.Status403Forbidden, "Not your role", "Only the records officer logs subject access requests.");
        }
        var today = LondonTime.DateOf(clock.GetUtcNow());
        var received = body.ReceivedOn is null ? today
            : DateOnly.TryParseExact(body.ReceivedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d
            : throw new DomainRuleException("DateMustBeADate", "receivedOn must be a date, yyyy-mm-dd.");
        var subject = ReferralIntake.CheckPerson((body.Subject ?? new PersonBody(null, null, null, null, null, null)).ToDetails(), "subject", today, child: false);
        var id = Guid.NewGuid().ToString("n");
        var logged = SubjectAccessRequest.Log(id, subject, received, today, user.Actor, RetentionSchedule.Default);
        await store.Ledger.AppendAsync(user.AgencyId, StreamId(id), ExpectedVersion.NoStream, [EventSerializer.ToNew(logged)], user.Actor, ct);
        return TypedResults.Created($"/api/v1/children-services/subject-access-requests/{id}", new SubjectAccessCreated(id, logged.ReceivedOn, logged.DueOn));
    }

    private static async Task<(SubjectAccessRequest Request, long Version, IReadOnlyDictionary<string, string> LiftReasons)?> LoadAsync(CurrentUser user, string id, ReadGateway gateway, string purpose, CancellationToken ct)
    {
        var events = await gateway.ReadStreamAsync(user, StreamId(id), ReadChannel.Api, purpose, ct);
        if (events is null || events.Count == 0 || events[0].AgencyId != user.AgencyId)
        {
            return null;
        }
        var domain = events.Select(EventSerializer.Deserialize).OfType<IEvent>().ToList();
        // Why each redaction was lifted (the latest reason per referral), printed in the PDF.
        var reasons = domain.OfType<RedactionLifted>().GroupBy(l => l.ReferralId).ToDictionary(g => g.Key, g => g.Last().Reason);
        return (SubjectAccessRequest.From(domain), events[^1].StreamVersion, reasons);
    }

    private static async Task<Results<Ok, ProblemHttpResult>> DecideAsync(string id, SubjectAccessDecisionBody body, HttpContext http, ThresholdStore store, ReadGateway gateway,
        Func<SubjectAccessRequest, CurrentUser, string, IEvent> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var loaded = await LoadAsync(user, id, gateway, "subject access decision", ct);
        if (loaded is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"There is no subject access request '{id}' that you can see.");
        }
        var referralId = (body.ReferralId ?? "").Replace("referral:", "", StringComparison.Ordinal);
        var e = decide(loaded.Value.Request, user, referralId);
        await store.Ledger.AppendAsync(user.AgencyId, StreamId(id), loaded.Value.Version, [EventSerializer.ToNew(e)], user.Actor, ct);
        return TypedResults.Ok();
    }

    private static Task<Results<Ok, ProblemHttpResult>> LiftAsync(string id, SubjectAccessDecisionBody body, HttpContext http, ThresholdStore store, ReadGateway gateway, CancellationToken ct) =>
        DecideAsync(id, body, http, store, gateway, (r, u, referral) => r.LiftRedaction(referral, body.Reason ?? "", u.Actor, IsRecordsOfficer(u)), ct);

    private static Task<Results<Ok, ProblemHttpResult>> ExemptAsync(string id, SubjectAccessDecisionBody body, HttpContext http, ThresholdStore store, ReadGateway gateway, CancellationToken ct) =>
        DecideAsync(id, body, http, store, gateway, (r, u, referral) => r.ApplyExemption(referral, body.Reason ?? "", u.Actor, IsRecordsOfficer(u)), ct);

    private static async Task<IResult> ExportAsync(string id, string format, HttpContext http, ThresholdStore store, ReadGateway gateway, ReferralService service, ReferralQueries queries, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        if (format is not ("json" or "pdf"))
        {
            return Problem(StatusCodes.Status404NotFound, "No such format", "Exports are export.pdf or export.json.");
        }
        if (!IsRecordsOfficer(user))
        {
            return Problem(StatusCodes.Status403Forbidden, "Not your role", "Only the records officer exports subject access requests.");
        }
        var loaded = await LoadAsync(user, id, gateway, "subject access export", ct);
        if (loaded is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"There is no subject access request '{id}' that you can see.");
        }
        var (request, version, liftReasons) = loaded.Value;
        var referralIds = await ReferralsNamingAsync(user, request.Logged.Subject, queries, ct);
        var items = new List<object>();
        var shown = new List<(Referral Referral, bool Lifted)>();
        var redactions = 0;
        var withheld = 0;
        foreach (var referralId in referralIds)
        {
            if (request.Exempt.ContainsKey(referralId))
            {
                withheld++;
                continue;
            }
            var referral = await service.LoadAsync(user, referralId, ReadChannel.Export, $"subject access export {id}", ct);
            if (referral is null)
            {
                continue;
            }
            var r = referral.Referral;
            var lifted = request.LiftedFor.Contains(referralId);
            if (!lifted && !r.Received.Referrer.Anonymous)
            {
                redactions++;
            }
            shown.Add((r, lifted));
            items.Add(new
            {
                reference = r.Received.Reference,
                receivedAt = LondonTime.ToLocal(r.Received.ReceivedAt),
                annotations = r.Annotations.Select(a => new { a.Text, at = LondonTime.ToLocal(a.At) }),
                children = r.Received.Children.Select(PersonBody.From),
                carers = r.Received.Carers.Select(c => new { person = PersonBody.From(c.Person), c.Role }),
                referrer = lifted || r.Received.Referrer.Anonymous
                    ? (object)new { anonymous = r.Received.Referrer.Anonymous, person = r.Received.Referrer.Person is { } p ? PersonBody.From(p) : null, agency = r.Received.Referrer.AgencyName, r.Received.Referrer.Relationship }
                    : new { redacted = true, note = RedactionNote },
                concern = r.Concern,
                triage = r.Triage is { } t ? new { decision = r.Procedures.Title(t.Decision), t.Reasons } : null,
                strategyDiscussion = r.StrategyDiscussion is { } s ? new { s.HeldOn, decision = r.Procedures.Title(s.Decision), s.Rationale } : null,
                section47Outcome = r.Section47Outcome is { } o ? new { outcome = r.Procedures.Title(o.Outcome), o.Reasons } : null,
                finding = r.EffectiveFinding,
            });
        }
        var export = new
        {
            request = new { id, subject = PersonBody.From(request.Logged.Subject), request.Logged.ReceivedOn, request.Logged.DueOn },
            producedAt = LondonTime.ToLocal(service.Now),
            producedBy = user.AgencyName,
            referrals = items,
        };
        var bytes = format == "pdf"
            ? SubjectAccessPdf.Render(id, request, shown, liftReasons, withheld, user.AgencyName, service.Now)
            : JsonSerializer.SerializeToUtf8Bytes(export, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await store.Ledger.AppendAsync(user.AgencyId, StreamId(id), version,
            [EventSerializer.ToNew(new SubjectAccessExported([.. referralIds], redactions, withheld, sha, format, user.Actor))], user.Actor, ct);
        await gateway.AuditListAsync(user, $"subject access export sar:{id} ({format})", ReadChannel.Export, items.Count, ct);
        return format == "pdf"
            ? Results.File(bytes, "application/pdf", $"subject-access-{id[..8]}.pdf")
            : Results.File(bytes, "application/json", $"subject-access-{id[..8]}.json");
    }

    /// <summary>The council's referrals that name the subject as a child or carer (matched with Threshold.Matching).</summary>
    public static async Task<IReadOnlyList<string>> ReferralsNamingAsync(CurrentUser user, PersonDetails subject, ReferralQueries queries, CancellationToken ct)
    {
        var probe = new ReferralPersonRow
        {
            ReferralId = "", Role = "subject", GivenName = subject.GivenName, FamilyName = subject.FamilyName, DateOfBirth = subject.DateOfBirth,
            PostcodeKey = ReferralProjection.PostcodeKey(subject.Address?.Postcode), Email = subject.Email, Phone = subject.Phone,
        };
        var candidates = await queries.CandidatesAsync(user.AgencyId, "", [probe], 1000, ct);
        var scorer = new Scorer(MatchModel.Default());
        var me = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "subject", GivenName = subject.GivenName, FamilyName = subject.FamilyName, DateOfBirth = subject.DateOfBirth, Postcode = probe.PostcodeKey, Email = subject.Email, Phone = subject.Phone });
        return [.. candidates
            .Where(c => scorer.Probability(me, PersonNormaliser.Default.Normalise(new PersonRecord
            {
                Id = c.ReferralId, GivenName = c.GivenName, FamilyName = c.FamilyName, DateOfBirth = c.DateOfBirth, Postcode = c.PostcodeKey, Email = c.Email, Phone = c.Phone,
            })) >= FrontDoor.PreviousReferralThreshold)
            .Select(c => c.ReferralId)
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }
}
