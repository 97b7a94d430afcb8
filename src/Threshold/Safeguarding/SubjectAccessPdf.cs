using System.Globalization;
using Threshold.Documents;
using Threshold.Domain.Calendar;
using Threshold.Domain.Records;
using Threshold.Domain.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>
/// The subject access export as a PDF a person can read: the request and its clock, then each referral
/// naming the person, with the referrer's identity shown as "[redacted: third party]" unless the
/// records officer lifted the redaction with a recorded reason (printed next to the name), and a count of what the serious-harm
/// exemption withheld (never its content).
/// </summary>
public static class SubjectAccessPdf
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    public static byte[] Render(string id, SubjectAccessRequest request, IReadOnlyList<(Referral Referral, bool Lifted)> referrals,
        IReadOnlyDictionary<string, string> liftReasons, int withheld, string council, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(referrals);
        ArgumentNullException.ThrowIfNull(liftReasons);
        var subject = request.Logged.Subject;
        var doc = new DocumentBuilder($"Subject access request {id[..8]}", footer: $"{council} · subject access request {id[..8]} · produced {When(now)}", author: council)
            .Heading("Information we hold about you", level: 1)
            .KeyValues(
            [
                ("Person", subject.DisplayName + (subject.DateOfBirth is null ? "" : $" (born {subject.DateOfBirth})")),
                ("Request received", request.Logged.ReceivedOn.ToString("d MMMM yyyy", EnGb)),
                ("Due by", request.Logged.DueOn.ToString("d MMMM yyyy", EnGb)),
                ("Produced", When(now)),
                ("Referrals found", referrals.Count.ToString(CultureInfo.InvariantCulture)),
            ])
            .Paragraph($"Where another person's identity appears (for example whoever made a referral), it is redacted. {SubjectAccessApi.RedactionNote}", size: 9, grey: true);
        if (withheld > 0)
        {
            doc.Paragraph($"{withheld} record(s) are withheld because disclosing them would be likely to cause serious harm (Data Protection Act 2018, Schedule 3 Part 3 paragraph 7).", size: 9, grey: true);
        }
        foreach (var (r, lifted) in referrals)
        {
            var p = r.Procedures;
            var referrer = r.Received.Referrer;
            var who = referrer.Anonymous ? "Anonymous"
                : lifted ? string.Join(", ", new[] { referrer.Person?.DisplayName, referrer.AgencyName }.Where(s => !string.IsNullOrWhiteSpace(s)))
                : SubjectAccessApi.Redacted;
            doc.Heading($"Referral {r.Received.Reference}");
            foreach (var a in r.Annotations)
            {
                doc.Paragraph($"Annotation: {a.Text} ({When(a.At)})", bold: true);
            }
            doc.KeyValues(
            [
                ("Received", When(r.Received.ReceivedAt)),
                ("Children", string.Join("; ", r.Received.Children.Select(c => c.DisplayName + (c.DateOfBirth is null ? "" : $" (born {c.DateOfBirth})")))),
                ("Parents and carers", string.Join("; ", r.Received.Carers.Select(c => $"{c.Person.DisplayName} ({c.Role})"))),
                ("Referrer", who + (lifted && !referrer.Anonymous
                    ? $" (redaction lifted by the records officer: {(liftReasons.TryGetValue(r.Received.ReferralId, out var why) ? why : "reason recorded")})"
                    : "")),
                ("Referrer's relationship", referrer.Relationship ?? "not given"),
                ("Concern", r.Concern),
                ("Triage decision", r.Triage is { } t ? $"{p.Title(t.Decision)}: {t.Reasons}" : "not yet decided"),
                ("Strategy discussion", r.StrategyDiscussion is { } s ? $"{s.HeldOn.ToString("d MMMM yyyy", EnGb)}: {p.Title(s.Decision)}. {s.Rationale}" : "none"),
                ("Section 47 outcome", r.Section47Outcome is { } o ? $"{p.Title(o.Outcome)}: {o.Reasons}" : "none"),
                ("Finding on the allegation", r.EffectiveFinding is { } f ? p.Title(f) : "none"),
            ]);
        }
        return doc.ToPdf();
    }

    private static string When(DateTimeOffset t) => LondonTime.ToLocal(t).ToString("d MMMM yyyy, HH:mm", EnGb);
}
