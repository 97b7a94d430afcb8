using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;

namespace Threshold.Pages.Safeguarding;

/// <summary>
/// One referral: annotations first, then the clock, the content (unless restricted and the reader is
/// not the records officer or an auditor), previous referrals of the same child and family, and the
/// form for the next step the transition table allows. Each form posts to its own handler; a refused
/// step comes back as an error summary naming what to fix.
/// </summary>
public sealed class ReferralModel(ReferralService service, FrontDoor frontDoor, FamilyLetters letters, Storage.Administration.AdministrationQueries admin) : PageModel
{
    public LoadedReferral Loaded { get; private set; } = null!;

    public Referral Referral => Loaded.Referral;

    public ReferralView View { get; private set; } = null!;

    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<PreviousReferral> Previous { get; private set; } = [];

    /// <summary>The agencies a manager may tell about the referral (those under an agreement with the council).</summary>
    public IReadOnlyList<Storage.Administration.AgencyRow> Partners { get; private set; } = [];

    public bool ShowContent => !Referral.IsRestricted || ReferralService.CanReadRestricted(Me);

    public string? Done { get; private set; }

    public DateTimeOffset Now => service.Now;

    public bool Can(params string[] roles) => roles.Any(Me.IsIn);

    public bool IsOwner => Loaded.OwnerAgencyId == Me.AgencyId;

    /// <summary>When and why the integrity check last ran again after receipt, or null.</summary>
    public string? IntegrityCheckedAgain => Loaded.Events
        .Select(e => (Stored: e, Event: Storage.Events.EventSerializer.Deserialize(e) as ReferralIntegrityChecked))
        .LastOrDefault(e => e.Event is not null) is { Event.Reason: { } reason } last ? $"{When(last.Stored.RecordedAtTime)}, because {reason}" : null;

    public static string SignalTitle(string kind) => kind switch
    {
        Domain.Integrity.SignalKinds.ReferrerIsSuspect => "Referrer is a suspect in a case against the family",
        Domain.Integrity.SignalKinds.ReferrerUnderNoContact => "Referrer is under a no-contact instruction or order",
        Domain.Integrity.SignalKinds.NoFirstHandKnowledge => "No first-hand knowledge, no relationship to the child",
        Domain.Integrity.SignalKinds.ReferrerHistory => "Referrer's earlier referrals",
        Domain.Integrity.SignalKinds.WordingResemblesHarassment => "Wording resembles logged harassment",
        _ => kind,
    };

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        Done = done switch
        {
            "triage" => "Triage decision recorded.",
            "strategy" => "Strategy discussion recorded.",
            "outcome" => "Section 47 outcome recorded.",
            "finding" => "Finding recorded.",
            "confirm" => "Malicious finding confirmed.",
            "annotate" => "Annotation added.",
            "restrict" => "Referral restricted.",
            "letter" => "Letter to the family recorded as sent. Download it from the list of letters below.",
            "feedback" => "Feedback to the referrer recorded.",
            "told" => "The other agency has been told.",
            _ => null,
        };
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        Me = CurrentUser.From(User)!;
        var loaded = await service.LoadAsync(Me, id, ReadChannel.Page, "referral page", ct);
        if (loaded is null)
        {
            return false;
        }
        Loaded = loaded;
        View = ReferralsApi.View(loaded, Me);
        if (IsOwner && ShowContent)
        {
            Previous = await frontDoor.PreviousReferralsAsync(Me, loaded.Id, ct);
        }
        if (IsOwner && ReferralService.IsManager(Me))
        {
            var partners = await admin.PartnersOfAsync(Me.AgencyId, ct);
            Partners = [.. (await admin.ListAgenciesAsync(ct)).Where(a => a.AgencyId != Me.AgencyId && partners.Contains(a.AgencyId))];
        }
        return true;
    }

    private Task<IActionResult> StepAsync(string id, long version, string done, string[] roles, Func<Referral, DateTimeOffset, IEvent> step, CancellationToken ct) =>
        ChangeAsync(id, done, roles, () => service.AppendAsync(Loaded, Me, version, ct, step(Referral, service.Now)), ct);

    /// <summary>Loads the council's own referral (404 otherwise), checks the role (403), then records <paramref name="change"/>.</summary>
    private async Task<IActionResult> ChangeAsync(string id, string done, string[] roles, Func<Task> change, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || !IsOwner)
        {
            return NotFound();
        }
        if (!Can(roles))
        {
            return Forbid();
        }
        return await RecordAsync(id, done, change, ct);
    }

    /// <summary>Records one change; a refused rule or a stale version comes back to the page with a plain message.</summary>
    private async Task<IActionResult> RecordAsync(string id, string done, Func<Task> write, CancellationToken ct)
    {
        try
        {
            await write();
            return Redirect($"/children-services/referrals/{Loaded.Id}?done={done}");
        }
        catch (DomainRuleException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        catch (Storage.Ledger.ConcurrencyConflictException)
        {
            ModelState.AddModelError("", "Someone else changed this referral while you were working on it. Check what they recorded and try again.");
            await LoadAsync(id, ct);
            return Page();
        }
    }

    private static readonly string[] TriageRoles = [Role.TriageWorker.Slug, Role.SocialWorker.Slug, Role.Manager.Slug];
    private static readonly string[] CaseRoles = [Role.SocialWorker.Slug, Role.Manager.Slug];

    public Task<IActionResult> OnPostTriageAsync(string id, long version, string? decision, string? reasons, CancellationToken ct) =>
        StepAsync(id, version, "triage", TriageRoles, (r, now) => r.DecideTriage(decision ?? "", reasons ?? "", Me.Actor, now, ReferralService.Calendar), ct);

    public Task<IActionResult> OnPostStrategyAsync(string id, long version, string? heldOn, string? chair, string? attendees, string? information, string? decision, string? rationale, CancellationToken ct) =>
        StepAsync(id, version, "strategy", CaseRoles, (r, now) => r.RecordStrategyDiscussion(
            DateOnly.TryParseExact(heldOn ?? "", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : throw new DomainRuleException("DateMustBeADate", "Give the date of the strategy discussion as yyyy-mm-dd."),
            chair ?? "", ParseAttendees(attendees), ReferralIntake.CheckText(information, "information considered", 10_000),
            decision ?? "", ReferralIntake.CheckText(rationale, "rationale", 10_000), Me.Actor, now), ct);

    /// <summary>One attendee a line: "Name, Agency, role".</summary>
    public static IReadOnlyList<MeetingAttendee> ParseAttendees(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => ReferralIntake.CheckText(line, "attendee", 300).Split(',', 3, StringSplitOptions.TrimEntries))
            .Select(p => new MeetingAttendee(p[0], p.Length > 1 ? p[1] : "", p.Length > 2 ? p[2] : ""))];

    public Task<IActionResult> OnPostOutcomeAsync(string id, long version, string? outcome, string? reasons, CancellationToken ct) =>
        StepAsync(id, version, "outcome", CaseRoles, (r, now) => r.RecordSection47(outcome ?? "", ReferralIntake.CheckText(reasons, "reasons", 10_000), Me.Actor, now, ReferralService.Calendar), ct);

    public Task<IActionResult> OnPostFindingAsync(string id, long version, string? finding, string? reasons, CancellationToken ct) =>
        StepAsync(id, version, "finding", CaseRoles, (r, _) => r.RecordFinding(finding ?? "", ReferralIntake.CheckText(reasons, "reasons", 10_000), Me.Actor), ct);

    public Task<IActionResult> OnPostConfirmAsync(string id, long version, string? note, CancellationToken ct) =>
        StepAsync(id, version, "confirm", CaseRoles, (r, _) => r.ConfirmMaliciousFinding(Me.Actor, ReferralService.IsManager(Me), ReferralIntake.CheckText(note, "note", 2000)), ct);

    public Task<IActionResult> OnPostAnnotateAsync(string id, long version, string? text, CancellationToken ct) =>
        StepAsync(id, version, "annotate", CaseRoles, (r, now) => r.Annotate(ReferralIntake.CheckText(text, "annotation", 2000), Me.Actor, ReferralService.IsManager(Me), now), ct);

    public Task<IActionResult> OnPostRestrictAsync(string id, long version, string? reason, CancellationToken ct) =>
        StepAsync(id, version, "restrict", CaseRoles, (r, now) => r.Restrict(ReferralIntake.CheckText(reason, "reason", 2000), Me.Actor, ReferralService.IsManager(Me), now), ct);

    /// <summary>A manager tells another agency what the council decided it may know.</summary>
    public Task<IActionResult> OnPostTellAsync(string id, long version, string? agency, string? text, CancellationToken ct) =>
        ChangeAsync(id, "told", [Role.Manager.Slug], () => service.TellAgencyAsync(Loaded, Me, agency, text, version, ct), ct);

    public Task<IActionResult> OnPostFeedbackAsync(string id, long version, string? feedback, CancellationToken ct) =>
        StepAsync(id, version, "feedback", TriageRoles, (r, now) => r.GiveFeedback(ReferralIntake.CheckText(feedback, "feedback", 5000), Me.Actor, now), ct);

    /// <summary>Sends the family letter (PDF kept under its SHA-256, recorded in FamilyInformed).</summary>
    public async Task<IActionResult> OnPostLetterAsync(string id, long version, string? recipient, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || !IsOwner)
        {
            return NotFound();
        }
        if (!Can(CaseRoles))
        {
            return Forbid();
        }
        return await RecordAsync(id, "letter", () => letters.SendAsync(Loaded, Me, recipient, version, ct), ct);
    }

    /// <summary>A copy of a letter sent, by the hash recorded when it was sent.</summary>
    public async Task<IActionResult> OnGetLetterAsync(string id, string? sha, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || !IsOwner || !ShowContent || sha is null || letters.Open(Loaded, sha) is not { } stream)
        {
            return NotFound();
        }
        return File(stream, "application/pdf", $"letter-{Referral.Received.Reference}-{sha[..8]}.pdf");
    }

    public static string When(DateTimeOffset? t) => t is { } v ? IndexModel.When(v) : "";
}
