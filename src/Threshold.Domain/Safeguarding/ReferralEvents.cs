namespace Threshold.Domain.Safeguarding;

// The referral's lifecycle, as ledger events in the council's chain (stream "referral:<id>").
// Renaming a record breaks stored data: these names are permanent.

public sealed record PostalAddress(string? Line1, string? Town, string? Postcode);

/// <summary>A person named in a referral, as the referrer gave them. Every field optional; dates yyyy-mm-dd.</summary>
public sealed record PersonDetails(string? GivenName, string? FamilyName, string? DateOfBirth, string? Email, string? Phone, PostalAddress? Address)
{
    public string DisplayName => string.Join(' ', new[] { GivenName, FamilyName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } n ? n : "(name not given)";
}

/// <summary>A parent or carer and their role to the child (mother, father, carer, …).</summary>
public sealed record CarerDetails(PersonDetails Person, string Role);

/// <summary>
/// Who made the referral: a named person (or anonymous), their relationship to the child in their
/// own words, and how they know (first-hand, second-hand, online, media, unknown).
/// <paramref name="AgencyId"/> is set when a professional referred through their agency's account.
/// <paramref name="PassedOn"/> is true when that agency passed on a concern someone else raised (a
/// member of the public who rang the police): the person is then the referrer, not a professional.
/// </summary>
public sealed record ReferrerDetails(bool Anonymous, PersonDetails? Person, string? Relationship, string SourceOfKnowledge, string? AgencyId, string? AgencyName,
    bool PassedOn = false);

/// <summary>A referral came in through one of the three doors (agency via API or form, professional form, public form).</summary>
public sealed record ReferralReceived(
    string ReferralId,
    string Reference,
    string LocalAuthority,
    string Door,
    IReadOnlyList<PersonDetails> Children,
    IReadOnlyList<CarerDetails> Carers,
    ReferrerDetails Referrer,
    string Concern,
    bool ImmediateDanger,
    DateTimeOffset ReceivedAt,
    DateTimeOffset TriageDueBy,
    string Nation,
    string ProceduresVersion) : IEvent;

/// <summary>The triage decision, with reasons (due within one working day of receipt).</summary>
public sealed record ReferralTriaged(string Decision, string Reasons, string DecidedBy, DateTimeOffset DecidedAt, bool WithinTime, DateTimeOffset? AssessmentDueBy) : IEvent;

/// <summary>The referrer was told the referral was received and what happens next.</summary>
public sealed record ReferrerAcknowledged(string How, DateTimeOffset At) : IEvent;

public sealed record MeetingAttendee(string Name, string Agency, string Role);

/// <summary>A multi-agency strategy discussion or panel and what it decided.</summary>
public sealed record StrategyDiscussionHeld(
    DateOnly HeldOn,
    string Chair,
    IReadOnlyList<MeetingAttendee> Attendees,
    string InformationConsidered,
    string Decision,
    string Rationale,
    string RecordedBy) : IEvent;

/// <summary>The outcome of the section 47 enquiry; a conference is due when the child is at continuing risk.</summary>
public sealed record Section47OutcomeRecorded(string Outcome, string Reasons, string RecordedBy, DateTimeOffset RecordedAt, DateTimeOffset? InitialConferenceDueBy) : IEvent;

/// <summary>A finding on the allegation itself, kept apart from the s.47 outcome.</summary>
public sealed record AllegationFindingRecorded(string Finding, string Reasons, string RecordedBy, bool AwaitingManagerConfirmation) : IEvent;

/// <summary>A manager confirmed a malicious finding.</summary>
public sealed record MaliciousFindingConfirmed(string ConfirmedBy, string Note) : IEvent;

/// <summary>A manager's annotation, shown first on every view of the referral.</summary>
public sealed record ReferralAnnotated(string Text, string AnnotatedBy, DateTimeOffset At) : IEvent;

/// <summary>The referral's content is restricted to the records officer and auditors.</summary>
public sealed record ReferralRestricted(string Reason, string RestrictedBy, DateTimeOffset At) : Access.IRestrictsContent
{
    public IReadOnlyList<string> ReadableByRoles => ["records-officer", "auditor"];
}

/// <summary>A correction of the concern as recorded (the original stays in the ledger).</summary>
public sealed record ReferralConcernCorrected(string Concern, string Reason, string CorrectedBy) : IEvent;

/// <summary>The family was told the outcome by letter (the letter's SHA-256 names the PDF sent).</summary>
public sealed record FamilyInformed(string Recipient, string Summary, string LetterSha256, string SentBy, DateTimeOffset SentAt) : IEvent;

/// <summary>The referrer was given the feedback they may have.</summary>
public sealed record ReferrerFeedbackGiven(string Feedback, string GivenBy, DateTimeOffset At) : IEvent;

/// <summary>
/// A manager told another agency (one the council shares information with) what the council decided it
/// may know of the referral's outcome — the MP's office, say. Nothing else of the referral leaves the council.
/// </summary>
public sealed record AgencyTold(string AgencyId, string AgencyName, string Text, string ToldBy, DateTimeOffset At, string AgreementId) : IEvent;

/// <summary>
/// The receiving side of <see cref="AgencyTold"/>, in the recipient agency's chain (stream
/// <c>safeguarding-notices:&lt;agency&gt;</c>): the council's words and the referral's reference, nothing more.
/// </summary>
public sealed record SafeguardingNoticeReceived(string NoticeId, string CouncilId, string CouncilName, string ReferralReference, string Text, DateTimeOffset At) : IEvent;

