namespace Threshold.Domain.Integrity;

/// <summary>The kinds of referral integrity signal (DESIGN.md, integrity check). Names are permanent: they are stored.</summary>
public static class SignalKinds
{
    /// <summary>The referrer matches a suspect in a police case in which a parent or carer of the child is the victim.</summary>
    public const string ReferrerIsSuspect = "referrer-is-suspect";

    /// <summary>The referrer is under a no-contact instruction or a statutory order protecting the family.</summary>
    public const string ReferrerUnderNoContact = "referrer-under-no-contact";

    /// <summary>A non-professional referrer states no first-hand knowledge and has no recorded relationship to the child.</summary>
    public const string NoFirstHandKnowledge = "no-first-hand-knowledge";

    /// <summary>A non-professional referrer's earlier referrals ended unfounded, false or malicious, or named several unrelated families.</summary>
    public const string ReferrerHistory = "referrer-history";

    /// <summary>The referral's wording closely resembles messages in an office's harassment log about the parent.</summary>
    public const string WordingResemblesHarassment = "wording-resembles-harassment";

    public static IReadOnlyList<string> All { get; } = [ReferrerIsSuspect, ReferrerUnderNoContact, NoFirstHandKnowledge, ReferrerHistory, WordingResemblesHarassment];
}

/// <summary>How much a signal's evidence weighs: it never changes the referral's steps or deadlines, only what the triage worker reads first.</summary>
public static class SignalStrengths
{
    public const string Strong = "strong";
    public const string Moderate = "moderate";
    public const string Weak = "weak";

    /// <summary>Strong first.</summary>
    public static int Rank(string strength) => strength switch
    {
        Strong => 0,
        Moderate => 1,
        _ => 2,
    };
}

/// <summary>The kinds of record a signal can rest on (<see cref="Safeguarding.SignalSource.RecordKind"/>). Stored: permanent.</summary>
public static class SignalSourceKinds
{
    public const string PoliceCase = "police-case";
    public const string NoContactInstruction = "no-contact-instruction";
    public const string Referral = "referral";
    public const string HarassmentContact = "harassment-contact";
}
