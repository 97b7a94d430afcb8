using Threshold.Domain.Calendar;
using Threshold.Domain.Harassment;
using Threshold.Domain.Safeguarding;

namespace Threshold.Domain.Policing;

/// <summary>A crime report as it arrives (entered directly or from an office's report), before anything is checked.</summary>
public sealed record CrimeReportSubmission(
    PersonDetails? Victim,
    IReadOnlyList<PersonDetails> Suspects,
    IReadOnlyList<PersonDetails> Household,
    string? Offence,
    string? Summary,
    bool DomesticAbuse,
    CrimeReportLink? Report = null);

/// <summary>Checks at the edge shared by the case's steps.</summary>
public static class PoliceCaseRules
{
    public const int MaxSuspects = 10;
    public const int MaxHousehold = 20;

    /// <summary>The channels an incident can come by: the office's contact channels, and text messages.</summary>
    public static IReadOnlyList<string> Channels { get; } = [.. ContactChannel.All.Select(c => c.Slug), "text-message"];

    public static string Channel(string? text)
    {
        var slug = text?.Trim().ToLowerInvariant();
        return slug is "text-message" or "text" or "sms" ? "text-message" : ContactChannel.Parse(text);
    }

    public static string ReferenceFor(string caseId) => "PC-" + caseId[..Math.Min(8, caseId.Length)].ToUpperInvariant();

    /// <summary>
    /// Opens a case: the victim named, at least one suspect, the offence (a code or a plain alias) when
    /// given, a summary; the first victim update falls due after the force's interval.
    /// </summary>
    public static PoliceCaseOpened Open(CrimeReportSubmission s, string caseId, string policeAgencyId, string officerEmail, string officerName,
        DateTimeOffset now, OffenceCatalogue offences, DisposalCatalogue disposals)
    {
        var today = LondonTime.DateOf(now);
        if (s.Victim is null)
        {
            throw new DomainRuleException("CaseNeedsVictim", "Name the victim (victim: a person).");
        }
        var victim = ReferralIntake.CheckPerson(s.Victim, "victim", today, child: false);
        if (string.IsNullOrWhiteSpace(victim.GivenName) && string.IsNullOrWhiteSpace(victim.FamilyName))
        {
            throw new DomainRuleException("VictimNeedsName", "Give the victim's name.");
        }
        if (s.Suspects.Count == 0)
        {
            throw new DomainRuleException("CaseNeedsSuspect", "Name the suspect (suspect: a person). Give what is known: a name, an e-mail address or a phone number.");
        }
        if (s.Suspects.Count > MaxSuspects || s.Household.Count > MaxHousehold)
        {
            throw new DomainRuleException("CaseTooManyPeople", $"A case names at most {MaxSuspects} suspects and {MaxHousehold} members of the victim's household.");
        }
        var suspects = s.Suspects.Select((p, i) => ReferralIntake.CheckPerson(p, $"suspect {i + 1}", today, child: false)).ToList();
        if (suspects.Any(p => string.IsNullOrWhiteSpace(p.GivenName) && string.IsNullOrWhiteSpace(p.FamilyName) && string.IsNullOrWhiteSpace(p.Email) && string.IsNullOrWhiteSpace(p.Phone)))
        {
            throw new DomainRuleException("SuspectNeedsIdentity", "Give each suspect's name, e-mail address or phone number.");
        }
        var household = s.Household.Select((p, i) => ReferralIntake.CheckPerson(p, $"household member {i + 1}", today, child: false)).ToList();
        var offence = string.IsNullOrWhiteSpace(s.Offence) ? null : offences.Resolve(s.Offence).Code;
        var summary = PoliceCase.Require(s.Summary, "CaseNeedsSummary", "Summarise what was reported.");
        return new PoliceCaseOpened(caseId, ReferenceFor(caseId), policeAgencyId, s.Report, victim, suspects, household, offence,
            ReferralIntake.CheckText(summary, "summary", 20_000), s.DomesticAbuse, officerEmail, officerName, now, today.AddDays(disposals.UpdateIntervalDays));
    }
}
