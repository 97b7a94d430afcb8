// Events document only their less obvious fields.
#pragma warning disable CS1573

namespace Threshold.Domain.Integrity;

// The other side of a referral integrity signal, in the chain of the agency whose record it rests
// on (stream "integrity-disclosures:<agency>:<referral id>"): what was disclosed, to whom and under which
// agreement; and, when the council confirms a referral malicious, the notice to the police case.
// Renaming a record breaks stored data: these names are permanent.

/// <summary>
/// A council was told that this agency holds information relevant to a referrer (the signal's words
/// and contact, never the record). Recorded in the disclosing agency's chain.
/// </summary>
/// <param name="SourceRecordKind">police-case, no-contact-instruction, referral or harassment-contact.</param>
/// <param name="CaseId">The police case the record belongs to, when there is one (shown on its page).</param>
/// <param name="Disclosed">Exactly what the council was shown: explanation, evidence and contact.</param>
public sealed record IntegrityDisclosureMade(
    string DisclosureId, string SourceRecordKind, string SourceRecordId, string? CaseId, string CouncilId, string CouncilName,
    string ReferralId, string ReferralReference, string SignalKind, string Disclosed, string AgreementId, DateTimeOffset At) : IEvent;

/// <summary>
/// A council confirmed that a referral by the suspect (or instruction subject) of a police case was
/// malicious: the officer in the case is told, under the agreement, of a possible further offence or
/// of contact after a no-contact instruction. Recorded in the police agency's chain.
/// </summary>
public sealed record MaliciousReferralNotified(
    string NoticeId, string CaseId, string? InstructionId, string OfficerEmail, string CouncilId, string CouncilName,
    string ReferralId, string ReferralReference, DateTimeOffset ReferralReceivedAt, string Notice, string AgreementId, DateTimeOffset At) : IEvent;
