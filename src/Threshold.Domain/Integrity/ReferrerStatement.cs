using Threshold.Domain.Safeguarding;

namespace Threshold.Domain.Integrity;

/// <summary>
/// The signal a referral carries on its own face: a non-professional referrer who states no
/// first-hand knowledge and gives no relationship to the child. Professionals (a referral through
/// an agency's account or the professional form) never raise it: second-hand information is their job.
/// </summary>
public static class ReferrerStatement
{
    /// <summary>Relationships that say there is none.</summary>
    private static readonly HashSet<string> NoRelationship = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "none", "no relation", "no relationship", "not related", "unrelated", "n/a", "na", "unknown", "not known", "stranger",
        "member of the public", "a member of the public", "concerned member of the public", "concerned citizen", "prefer not to say",
    };

    /// <summary>A professional referred in their role; a concern an agency only passed on is the person's own.</summary>
    public static bool IsProfessional(ReferralReceived referral) =>
        !referral.Referrer.PassedOn && (referral.Referrer.AgencyId is not null || referral.Door is ReferralDoors.Agency or ReferralDoors.Professional);

    public static bool StatesRelationship(string? relationship) =>
        !NoRelationship.Contains((relationship ?? "").Trim().TrimEnd('.'));

    public static IntegritySignal? Check(ReferralReceived referral)
    {
        var source = referral.Referrer.SourceOfKnowledge;
        if (IsProfessional(referral) || source == "first-hand" || StatesRelationship(referral.Referrer.Relationship))
        {
            return null;
        }
        var relationship = string.IsNullOrWhiteSpace(referral.Referrer.Relationship) ? "not given" : $"\u201c{referral.Referrer.Relationship!.Trim()}\u201d";
        var knows = source switch
        {
            "second-hand" => "second-hand (told by someone else)",
            "online" => "from something seen online",
            "media" => "from the media",
            _ => "not stated",
        };
        return new IntegritySignal(SignalKinds.NoFirstHandKnowledge, SignalStrengths.Weak,
            $"The referrer{(referral.Referrer.Anonymous ? " (anonymous)" : "")} is not a professional, states no first-hand knowledge of the child and gives no relationship to the child.",
            null,
            [$"How the referrer knows: {knows}.", $"Relationship to the child: {relationship}.",
             referral.Referrer.PassedOn ? $"{referral.Referrer.AgencyName} passed on the concern; the referrer is not one of its staff." : $"Referral came through the {referral.Door} door, not from an agency."]);
    }
}
