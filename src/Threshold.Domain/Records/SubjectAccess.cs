using Threshold.Domain.Safeguarding;

namespace Threshold.Domain.Records;

// A subject access request (UK GDPR Art. 15) lives in the council's chain as "sar:<id>".

/// <summary>A subject access request was received; it must be answered within one calendar month.</summary>
public sealed record SubjectAccessRequestLogged(string RequestId, PersonDetails Subject, DateOnly ReceivedOn, DateOnly DueOn, string LoggedBy) : IEvent;

/// <summary>A records officer lifted the redaction of a third party's identity (the referrer's) in one referral, with a reason.</summary>
public sealed record RedactionLifted(string ReferralId, string ThirdParty, string Reason, string LiftedBy) : IEvent;

/// <summary>
/// A records officer recorded that disclosing one referral would be likely to cause serious harm
/// (Data Protection Act 2018, Sch. 3 Part 3 para 7, social work); it is withheld from the export.
/// </summary>
public sealed record SeriousHarmExemptionApplied(string ReferralId, string Reason, string AppliedBy) : IEvent;

/// <summary>The export was produced: which referrals, what was redacted or withheld, and the SHA-256 of what left.</summary>
public sealed record SubjectAccessExported(IReadOnlyList<string> ReferralIds, int Redactions, int Withheld, string Sha256, string Format, string ExportedBy) : IEvent;

/// <summary>The request's state, rebuilt from its events, and the rules for changing it.</summary>
public sealed class SubjectAccessRequest
{
    private readonly HashSet<string> _lifted = [];
    private readonly Dictionary<string, string> _exempt = [];

    private SubjectAccessRequest(SubjectAccessRequestLogged logged) => Logged = logged;

    public SubjectAccessRequestLogged Logged { get; }

    public IReadOnlyCollection<string> LiftedFor => _lifted;

    public IReadOnlyDictionary<string, string> Exempt => _exempt;

    public int Exports { get; private set; }

    public static SubjectAccessRequestLogged Log(string requestId, PersonDetails subject, DateOnly receivedOn, DateOnly today, string by, RetentionSchedule schedule)
    {
        if (string.IsNullOrWhiteSpace(subject.FamilyName) && string.IsNullOrWhiteSpace(subject.GivenName))
        {
            throw new DomainRuleException("SubjectAccessNeedsName", "Name the person asking for their records.");
        }
        if (receivedOn > today)
        {
            throw new DomainRuleException("SubjectAccessReceivedInFuture", "The request cannot have been received in the future.");
        }
        return new SubjectAccessRequestLogged(requestId, subject, receivedOn, schedule.SubjectAccessDue(receivedOn), by);
    }

    public static SubjectAccessRequest From(IEnumerable<IEvent> events)
    {
        SubjectAccessRequest? request = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case SubjectAccessRequestLogged l:
                    request = new SubjectAccessRequest(l);
                    break;
                case RedactionLifted r:
                    request!._lifted.Add(r.ReferralId);
                    break;
                case SeriousHarmExemptionApplied s:
                    request!._exempt[s.ReferralId] = s.Reason;
                    break;
                case SubjectAccessExported:
                    request!.Exports++;
                    break;
                default:
                    break;
            }
        }
        return request ?? throw new InvalidOperationException("The stream holds no subject access request.");
    }

    public RedactionLifted LiftRedaction(string referralId, string reason, string by, bool isRecordsOfficer)
    {
        RecordsOfficerOnly(isRecordsOfficer, "RedactionNeedsRecordsOfficer", "Only the records officer can lift a redaction.");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("RedactionLiftNeedsReason", "Record why the referrer's identity may be disclosed (for example, their consent).");
        }
        return new RedactionLifted(referralId, "referrer", reason.Trim(), by);
    }

    public SeriousHarmExemptionApplied ApplyExemption(string referralId, string reason, string by, bool isRecordsOfficer)
    {
        RecordsOfficerOnly(isRecordsOfficer, "ExemptionNeedsRecordsOfficer", "Only the records officer can apply the serious-harm exemption.");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("ExemptionNeedsReason", "Record why disclosure would be likely to cause serious harm.");
        }
        return new SeriousHarmExemptionApplied(referralId, reason.Trim(), by);
    }

    private static void RecordsOfficerOnly(bool isRecordsOfficer, string rule, string message)
    {
        if (!isRecordsOfficer)
        {
            throw new DomainRuleException(rule, message);
        }
    }
}
