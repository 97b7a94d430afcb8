// Events document only their less obvious fields.
#pragma warning disable CS1573

using Threshold.Domain.Safeguarding;

namespace Threshold.Domain.Policing;

// The police case's lifecycle, as ledger events in the force's chain (stream "police-case:<id>").
// Renaming a record breaks stored data: these names are permanent. People are PersonDetails, the
// same shape as the stable API's "person" (name, date of birth, e-mail, phone, address).

/// <summary>The office's report (a shared <c>crime-report:</c> record) a case was opened from, with its evidence pack's hashes.</summary>
public sealed record CrimeReportLink(string ReportId, string OfficeId, string CorrespondentName, string PackSha256, string ZipSha256, string ManifestSha256);

/// <summary>A crime report became a police case: entered directly, or from an office's shared report.</summary>
/// <param name="Household">The victim's household: protected with her by a no-contact instruction.</param>
/// <param name="VictimUpdateDue">When the victim is next due an update.</param>
public sealed record PoliceCaseOpened(
    string CaseId,
    string Reference,
    string PoliceAgencyId,
    CrimeReportLink? Report,
    PersonDetails Victim,
    IReadOnlyList<PersonDetails> Suspects,
    IReadOnlyList<PersonDetails> Household,
    string? OffenceCode,
    string Summary,
    bool DomesticAbuse,
    string OfficerEmail,
    string OfficerName,
    DateTimeOffset OpenedAt,
    DateOnly VictimUpdateDue) : IEvent;

/// <summary>An officer took the case on as officer in the case: the investigation started.</summary>
public sealed record InvestigationStarted(string OfficerEmail, string OfficerName, DateTimeOffset At) : IEvent;

/// <summary>One incident: when, by what channel, and where its content is (a contact id and evidence hash, an exhibit number).</summary>
/// <param name="AgainstVictim">Conduct in relation to the victim (counts toward a course of conduct against one person).</param>
/// <param name="SourceContactId">The office's contact id when the incident came from a report's evidence pack.</param>
public sealed record IncidentRecorded(string IncidentId, DateTimeOffset OccurredAt, string Channel, string? ContentReference, string Summary, bool AgainstVictim, string? SourceContactId) : IEvent;

/// <summary>The officer's decision on the offence, with reasons, next to the catalogue's advice at that moment.</summary>
/// <param name="Decision">crime-recorded or no-crime.</param>
public sealed record OffenceDecisionRecorded(
    string OffenceCode, string Decision, string Reasons, string DecidedBy, DateTimeOffset At, string CatalogueVersion,
    IReadOnlyList<string> Supported, IReadOnlyList<string> Missing) : IEvent;

/// <summary>The suspect's account at interview or voluntary attendance.</summary>
/// <param name="Suspect">The suspect's place (0-based) in the case's list of suspects.</param>
/// <param name="Account">admitted, denied or no-comment.</param>
public sealed record SuspectAccountRecorded(int Suspect, DateOnly On, string How, string Account, string Notes, string RecordedBy) : IEvent;

/// <summary>The victim's views, sought before an out-of-court disposal (Victims' Code): they inform the decision, they are not a veto.</summary>
public sealed record VictimViewsRecorded(DateOnly On, string How, string Views, string RecordedBy) : IEvent;

/// <summary>An officer proposed a disposal; a supervisor who is not the proposer must authorise it.</summary>
public sealed record DisposalProposed(
    string ProposalId, int Suspect, string Disposal, string Framework, string? OutcomeReason, IReadOnlyList<string> Conditions,
    bool EvidentialStandardMet, string Reasons, string ProposedBy, DateTimeOffset ProposedAt, string CatalogueVersion) : IEvent;

/// <summary>A supervisor authorised the proposal (four eyes). The victim must be told by <paramref name="VictimToBeInformedBy"/>.</summary>
public sealed record DisposalAuthorised(string ProposalId, string AuthorisedBy, string Reasons, DateTimeOffset At, DateOnly VictimToBeInformedBy) : IEvent;

/// <summary>A supervisor sent the proposal back; the investigation continues.</summary>
public sealed record DisposalRejected(string ProposalId, string RejectedBy, string Reasons, DateTimeOffset At) : IEvent;

/// <summary>The victim was told (of progress or of the decision). <paramref name="NextUpdateDue"/> is null when nothing more is owed.</summary>
public sealed record VictimInformed(DateOnly On, string How, string What, string InformedBy, DateOnly? NextUpdateDue) : IEvent;

public sealed record PoliceCaseClosed(string Reason, string ClosedBy, DateTimeOffset At) : IEvent;

/// <summary>
/// A statutory order (restraining order, stalking protection order, domestic abuse protection order)
/// made by a court against a suspect, with its terms and end date. Contact against it is a possible
/// breach — an offence — unlike further contact after non-statutory advice.
/// </summary>
public sealed record StatutoryOrderRecorded(
    string OrderId, string Kind, int Suspect, DateOnly MadeOn, DateOnly? EndsOn, string Court, IReadOnlyList<string> Terms, string RecordedBy) : IEvent;

/// <summary>An intelligence entry: subject, summary, 3x5x2 grading, handling restrictions. Recorded with every disposal and on demand.</summary>
/// <param name="SourceEvaluation">1 reliable, 2 untested, 3 not reliable.</param>
/// <param name="IntelligenceAssessment">A known directly, B known indirectly and corroborated, C known indirectly, D not known, E suspected false.</param>
/// <param name="HandlingCode">P (lawful sharing permitted) or C (lawful sharing permitted with conditions).</param>
/// <param name="Trigger">What caused it: "disposal:&lt;proposal id&gt;" or "on demand".</param>
public sealed record IntelligenceEntryRecorded(
    string EntryId, string? CaseId, PersonDetails Subject, string Summary, string SourceEvaluation, string IntelligenceAssessment,
    string HandlingCode, string? HandlingRestrictions, string RecordedBy, DateTimeOffset RecordedAt, string Trigger) : IEvent;

/// <summary>A concern for a child was passed to the child's local authority as a safeguarding referral (stream <c>referral:&lt;id&gt;</c>, shared back).</summary>
/// <param name="ChosenBy">postcode (from the child's address) or officer.</param>
public sealed record ChildConcernReferred(string ReferralId, string LocalAuthority, string LocalAuthorityName, string Children, string ChosenBy, string ReferredBy, DateTimeOffset At) : IEvent;
