// Events document only their less obvious fields.
#pragma warning disable CS1573

namespace Threshold.Domain.Safeguarding;

/// <summary>
/// A referral integrity signal (DESIGN.md, integrity check): a piece of evidence the triage worker
/// should see, never a reason to close, delay or downgrade the referral. Computed before the
/// referral's creation returns; the check itself belongs to the integrity process
/// (<see cref="Integrity.SignalKinds"/>).
/// </summary>
/// <param name="Kind">One of <see cref="Integrity.SignalKinds"/>.</param>
/// <param name="Strength">strong, moderate or weak (<see cref="Integrity.SignalStrengths"/>).</param>
/// <param name="Explanation">What was found, in plain words, disclosing no other agency's record.</param>
/// <param name="Contact">Whom to ask for more (another agency's officer and their reference), or null.</param>
/// <param name="Evidence">Each fact the signal rests on, in plain words (null on events recorded before evidence was kept).</param>
/// <param name="Source">The record behind the signal; kept in the council's chain for the audit and the closing of the loop, not shown to the council.</param>
public sealed record IntegritySignal(string Kind, string Strength, string Explanation, string? Contact,
    IReadOnlyList<string>? Evidence = null, SignalSource? Source = null);

/// <summary>The record a signal rests on: its agency, what kind of record, its id and reference, and the officer holding it.</summary>
/// <param name="RecordKind">police-case, no-contact-instruction, referral or harassment-contact.</param>
/// <param name="AgreementId">The information-sharing agreement the other agency's record was looked at under ("own" for the council's own records).</param>
/// <param name="ContactCaseId">When the contact is another agency's officer (a wording signal rests on an office's message, the contact is the police case it was reported in): that police case, whose chain records the disclosure too.</param>
/// <param name="ContactAgencyId">The agency of <paramref name="ContactCaseId"/>.</param>
public sealed record SignalSource(string AgencyId, string AgencyName, string RecordKind, string RecordId, string? Reference, string? OfficerEmail, string? OfficerName, string AgreementId,
    string? ContactAgencyId = null, string? ContactCaseId = null);

/// <summary>The integrity check ran on a new referral (or again, when a relevant record changed); its signals (possibly none) are on the record.</summary>
/// <param name="Reason">Why it ran: null for the check on receipt, otherwise what changed.</param>
public sealed record ReferralIntegrityChecked(IReadOnlyList<IntegritySignal> Signals, string CheckVersion, string? Reason = null) : IEvent;
