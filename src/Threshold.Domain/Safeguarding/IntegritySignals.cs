namespace Threshold.Domain.Safeguarding;

/// <summary>
/// A referral integrity signal (DESIGN.md, integrity check): a piece of evidence the triage worker
/// should see, never a reason to close, delay or downgrade the referral. Computed before the
/// referral's creation returns; the check itself belongs to the integrity process.
/// </summary>
public sealed record IntegritySignal(string Kind, string Strength, string Explanation, string? Contact);

/// <summary>The integrity check ran on a new referral; its signals (possibly none) are on the record.</summary>
public sealed record ReferralIntegrityChecked(IReadOnlyList<IntegritySignal> Signals, string CheckVersion) : IEvent;
