// Events document only their less obvious fields.
#pragma warning disable CS1573

namespace Threshold.Domain.Policing;

// The minimal recorded no-contact instruction that the harassment log's further-contact hook needs
// (issue 4, step 6). The Police issue builds the instruction's process on this event: issuing it
// from a case, its conditions, and the statutory orders. Non-statutory advice or a community
// resolution condition is not an order: further contact after one is "further contact", and only
// contact in breach of a statutory order (restraining order, stalking protection order, domestic
// abuse protection order) is a "breach".

/// <summary>The person an instruction is addressed to, as police hold them. Every field is optional.</summary>
public sealed record NoContactSubject(
    string? GivenName,
    string? FamilyName,
    string? DateOfBirth,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones);

/// <summary>
/// A suspect was told not to contact the people and agencies it protects. The officer in the case is
/// alerted when a protected office logs further contact from the suspect.
/// </summary>
/// <param name="StatutoryOrder">The statutory order it enforces (e.g. "restraining order"), or null for a non-statutory instruction.</param>
/// <param name="ProtectedAgencyIds">Offices whose incoming contact is checked against the suspect.</param>
/// <param name="ProtectedPersons">The victim and her household (added by the police case; null on older events): a referral by the suspect about them is further contact.</param>
/// <param name="EndsOn">When a statutory order ends (null: until further order, or a non-statutory instruction).</param>
public sealed record NoContactInstructionRecorded(
    string InstructionId,
    string CaseId,
    string PoliceAgencyId,
    string OfficerEmail,
    string OfficerName,
    DateOnly IssuedOn,
    NoContactSubject Suspect,
    IReadOnlyList<string> ProtectedAgencyIds,
    string? StatutoryOrder,
    IReadOnlyList<Safeguarding.PersonDetails>? ProtectedPersons = null,
    DateOnly? EndsOn = null) : IEvent;

/// <summary>
/// A protected office logged contact from the subject of a no-contact instruction after it was issued
/// (or, with <paramref name="ReferralId"/>, the subject referred the protected family to children's
/// services: <paramref name="OfficeId"/> is then the council and <paramref name="ContactId"/> the referral).
/// Recorded in the police agency's chain for the officer in the case.
/// </summary>
/// <param name="ReferralId">Set when the further contact is a safeguarding referral.</param>
public sealed record FurtherContactAlertRaised(
    string AlertId,
    string InstructionId,
    string CaseId,
    string OfficerEmail,
    string OfficeId,
    string ContactId,
    string CorrespondentId,
    DateTimeOffset ContactReceivedAt,
    bool Breach,
    string Explanation,
    string? ReferralId = null) : IEvent;
