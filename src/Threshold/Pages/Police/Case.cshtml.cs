using Microsoft.AspNetCore.Mvc;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Calendar;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Policing;

namespace Threshold.Pages.Police;

/// <summary>
/// One police case: the people, the incidents as a timeline, the offence catalogue's advice per
/// candidate offence (what the evidence supports, what is missing), the officer's decision, the
/// suspect's account, the victim's views, the disposal and its authorisation by a second person, the
/// victim updates, instructions and orders, intelligence and child-concern referrals — and a form for
/// each step the transition table allows now, to the roles that may take it. Each form posts its
/// own handler with the version the page read; the case is read through the audited gateway once per
/// request (the service reads it for a change; the page reads it to show it).
/// </summary>
public sealed class CaseModel(PoliceWorkLists lists, PoliceCaseService cases, ChildConcernReferrals concerns) : PolicePage
{
    public PoliceCaseView View { get; private set; } = null!;

    public string? Done { get; private set; }

    public DateOnly Today => cases.Today;

    public bool IsOwner => Owner == Me.AgencyId;

    private string Owner { get; set; } = "";

    public bool Allows(string step) => View.NextSteps.Contains(step, StringComparer.Ordinal);

    /// <summary>Four eyes: the proposer is never offered the authorisation (the rule refuses it anyway).</summary>
    public bool MayAuthorise => Can(PoliceRoles.Authorise) && Allows("authorise-disposal")
        && !string.Equals(View.Disposal?.ProposedBy, Me.Actor, StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<Disposal> Disposals => PoliceCaseService.Disposals.For(View.Framework);

    public static OffenceCatalogue Offences => PoliceCaseService.Offences;

    public static readonly IReadOnlyDictionary<string, string> DoneMessages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["opened"] = "Case recorded.",
        ["start"] = "You are now the officer in the case: the investigation has started.",
        ["incident"] = "Incident recorded.",
        ["decision"] = "Offence decision recorded.",
        ["account"] = "Suspect's account recorded.",
        ["views"] = "Victim's views recorded.",
        ["propose"] = "Disposal proposed: a supervisor who is not you must authorise it.",
        ["authorise"] = "Disposal authorised. An intelligence entry about the suspect was recorded with it.",
        ["reject"] = "Disposal sent back to the officer in the case.",
        ["inform"] = "Victim update recorded.",
        ["instruction"] = "No-contact instruction recorded: contact from the suspect to the protected people is now flagged.",
        ["order"] = "Statutory order recorded: contact against it is flagged as a possible breach.",
        ["intelligence"] = "Intelligence entry recorded.",
        ["child-concern"] = "Referral sent to the local authority's children's services.",
        ["close"] = "Case closed.",
    };

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        Done = done is null ? null : DoneMessages.GetValueOrDefault(done);
        return await ShowAsync(id, ct);
    }

    private async Task<IActionResult> ShowAsync(string id, CancellationToken ct)
    {
        var loaded = await cases.LoadAsync(Me, id, ReadChannel.Page, "police case page", ct);
        if (loaded is null)
        {
            return NotFound();
        }
        Owner = loaded.OwnerAgencyId;
        View = await lists.ViewAsync(Me, loaded, ReadChannel.Page, ct);
        return Page();
    }

    private Task<IActionResult> StepAsync(string id, string[] roles, string done, Func<Task<LoadedPoliceCase?>> change, CancellationToken ct)
    {
        if (!Can(roles))
        {
            return Task.FromResult<IActionResult>(Forbid());
        }
        return RecordAsync(async () => await change() is { } after ? $"/police/cases/{after.Id}?done={done}" : null, () => ShowAsync(id, ct));
    }

    public Task<IActionResult> OnPostStartAsync(string id, long version, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "start", () => cases.StartInvestigationAsync(Me, id, version, ct), ct);

    public Task<IActionResult> OnPostIncidentAsync(string id, long version, string? occurredOn, string? occurredTime, string? channel, string? contentReference,
        string? summary, string? againstVictim, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "incident", () =>
        {
            var day = Date(occurredOn, "date of the incident");
            // No time given: now, for an incident today; midday for an earlier day.
            var at = TimeOnly.TryParse(occurredTime ?? "", System.Globalization.CultureInfo.InvariantCulture, out var t) ? LondonTime.At(day, t)
                : !string.IsNullOrWhiteSpace(occurredTime) ? throw new DomainRuleException("TimeMustBeATime", "Give the time of the incident as hh:mm, for example 09:30.")
                : day == cases.Today ? cases.Now
                : LondonTime.At(day, new TimeOnly(12, 0));
            return cases.RecordIncidentAsync(Me, id, version, at, channel, contentReference, summary, againstVictim != "no", ct);
        }, ct);

    public Task<IActionResult> OnPostDecisionAsync(string id, long version, string? offence, string? decision, string? reasons, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "decision", () => cases.RecordOffenceDecisionAsync(Me, id, version, offence, decision, reasons, ct), ct);

    public Task<IActionResult> OnPostAccountAsync(string id, long version, int suspect, string? on, string? how, string? account, string? notes, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "account",
            () => cases.RecordSuspectAccountAsync(Me, id, version, suspect, Date(on, "date of the account", cases.Today), how, account, notes, ct), ct);

    public Task<IActionResult> OnPostViewsAsync(string id, long version, string? on, string? how, string? views, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "views",
            () => cases.RecordVictimViewsAsync(Me, id, version, Date(on, "date the views were obtained", cases.Today), how, views, ct), ct);

    public Task<IActionResult> OnPostProposeAsync(string id, long version, int suspect, string? disposal, string? outcomeReason, string? conditions,
        string? evidentialStandardMet, string? reasons, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "propose", () => cases.ProposeDisposalAsync(Me, id, version, suspect, disposal,
            string.IsNullOrWhiteSpace(outcomeReason) ? null : outcomeReason, Lines(conditions), evidentialStandardMet == "yes", reasons, ct), ct);

    public Task<IActionResult> OnPostAuthoriseAsync(string id, long version, string? reasons, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Authorise, "authorise", () => cases.AuthoriseDisposalAsync(Me, id, version, reasons, ct), ct);

    public Task<IActionResult> OnPostRejectAsync(string id, long version, string? reasons, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Authorise, "reject", () => cases.RejectDisposalAsync(Me, id, version, reasons, ct), ct);

    public Task<IActionResult> OnPostInformAsync(string id, long version, string? on, string? how, string? what, string? nextUpdateDue, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "inform", () => cases.InformVictimAsync(Me, id, version, Date(on, "date the victim was told", cases.Today), how, what,
            OptionalDate(nextUpdateDue, "next update date"), ct), ct);

    public Task<IActionResult> OnPostInstructionAsync(string id, long version, string? issuedOn, int suspect, string? protectedOffices, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "instruction", () => cases.IssueNoContactInstructionAsync(Me, id, version, Date(issuedOn, "date the instruction was given", cases.Today),
            suspect, [.. (protectedOffices ?? "").Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], ct), ct);

    public Task<IActionResult> OnPostOrderAsync(string id, long version, string? kind, int suspect, string? madeOn, string? endsOn, string? court, string? terms, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "order", () => cases.RecordStatutoryOrderAsync(Me, id, version, kind, suspect, Date(madeOn, "date the order was made"),
            OptionalDate(endsOn, "end date"), court, Lines(terms), ct), ct);

    public Task<IActionResult> OnPostIntelligenceAsync(string id, long version, string? subjectGivenName, string? subjectFamilyName, string? subjectDateOfBirth,
        string? summary, string? sourceEvaluation, string? intelligenceAssessment, string? handlingCode, string? handlingRestrictions, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "intelligence", () => cases.RecordIntelligenceAsync(Me, id, version,
            Person(subjectGivenName, subjectFamilyName, subjectDateOfBirth), summary, sourceEvaluation, intelligenceAssessment, handlingCode, handlingRestrictions, ct), ct);

    public Task<IActionResult> OnPostChildConcernAsync(string id, long version, string? childGivenName, string? childFamilyName, string? childDateOfBirth, string? childPostcode,
        string? carerGivenName, string? carerFamilyName, string? carerRole, string? referrerGivenName, string? referrerFamilyName, string? relationship,
        string? sourceOfKnowledge, string? concern, string? immediateDanger, string? localAuthority, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Report, "child-concern", async () =>
        {
            var child = Person(childGivenName, childFamilyName, childDateOfBirth, postcode: childPostcode);
            var carer = Person(carerGivenName, carerFamilyName);
            var referrer = Person(referrerGivenName, referrerFamilyName);
            var concernFor = new ChildConcern(child is null ? [] : [child], carer is null ? [] : [new CarerDetails(carer, string.IsNullOrWhiteSpace(carerRole) ? "carer" : carerRole.Trim())],
                new ReferrerDetails(referrer is null, referrer, relationship, string.IsNullOrWhiteSpace(sourceOfKnowledge) ? "unknown" : sourceOfKnowledge, null, null),
                concern, immediateDanger == "yes", string.IsNullOrWhiteSpace(localAuthority) ? null : localAuthority);
            return (await concerns.ReferAsync(Me, id, version, concernFor, ct))?.Case;
        }, ct);

    public Task<IActionResult> OnPostCloseAsync(string id, long version, string? reason, CancellationToken ct) =>
        StepAsync(id, PoliceRoles.Investigate, "close", () => cases.CloseAsync(Me, id, version, reason, ct), ct);

    private static List<string> Lines(string? text) => [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string Title(string code) => string.Concat(code.Replace('-', ' ').Select((c, i) => i == 0 ? char.ToUpperInvariant(c) : c));

    public static string OffenceTitle(string? code) =>
        code is not null && Offences.TryResolve(code, out var o) && o is not null ? $"{o.Title} — {o.Provision}" : code ?? "not decided";

    public static string DisposalTitle(string code) => PoliceCaseService.Disposals.All.FirstOrDefault(d => d.Code == code)?.Title ?? code;
}
