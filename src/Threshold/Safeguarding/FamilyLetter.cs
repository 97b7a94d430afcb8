using System.Globalization;
using System.Security.Cryptography;
using Threshold.Documents;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>
/// The letter telling a family the outcome, as a PDF (on the shared DocumentBuilder). It says what the
/// family may be told — never the referrer's identity, and a malicious or false finding as
/// "unfounded" (DESIGN.md). The SHA-256 of the PDF bytes sent is recorded with the FamilyInformed
/// event, and the bytes are kept in the blob store under that hash, so the letter sent can be
/// produced and proved later.
/// </summary>
public static class FamilyLetter
{
    public static byte[] Pdf(Referral r, string recipient, string council, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(r);
        var date = LondonTime.DateOf(now).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
        var children = string.Join(" and ", r.Received.Children.Select(c => c.DisplayName));
        return new DocumentBuilder($"Letter {r.Received.Reference}", footer: $"{council} · our reference {r.Received.Reference}", author: council)
            .Paragraph(council, size: 11, bold: true)
            .Paragraph(date)
            .Paragraph($"Dear {recipient},")
            .KeyValues([("Our reference", r.Received.Reference)])
            .Paragraph($"We received a concern about {children} and looked into it, as the law requires us to.")
            .Paragraph($"Outcome: {r.OutcomeForFamily()}", bold: true)
            .Paragraph("We keep a record of every concern for a set period, as the law requires, even when it is found to be unfounded.")
            .Paragraph("You can ask to see the information we hold about you and your children (a subject access request).")
            .Paragraph("Yours sincerely,")
            .Paragraph(council)
            .ToPdf();
    }

    public static string Sha256(byte[] pdf) => Convert.ToHexStringLower(SHA256.HashData(pdf));
}
