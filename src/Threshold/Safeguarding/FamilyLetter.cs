using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Threshold.Domain.Calendar;
using Threshold.Domain.Safeguarding;

namespace Threshold.Safeguarding;

/// <summary>
/// The letter telling a family the outcome. It says what the family may be told — never the
/// referrer's identity, and a malicious finding as "unfounded" (DESIGN.md). Its SHA-256 is recorded
/// with the FamilyInformed event so the letter sent can be proved later.
/// </summary>
public static class FamilyLetter
{
    public static string Text(Referral r, string recipient, string council, DateTimeOffset now)
    {
        var date = LondonTime.DateOf(now).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
        var children = string.Join(" and ", r.Received.Children.Select(c => c.DisplayName));
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{council}")
            .AppendLine(CultureInfo.InvariantCulture, $"{date}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Dear {recipient},")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Our reference: {r.Received.Reference}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"We received a concern about {children} and looked into it, as the law requires us to.")
            .AppendLine(CultureInfo.InvariantCulture, $"Outcome: {r.OutcomeForFamily()}")
            .AppendLine()
            .AppendLine("We keep a record of every concern for a set period, as the law requires, even when it is found to be unfounded.")
            .AppendLine("You can ask to see the information we hold about you and your children (a subject access request).")
            .AppendLine()
            .AppendLine("Yours sincerely,")
            .AppendLine(CultureInfo.InvariantCulture, $"{council}")
            .ToString();
    }

    public static string Sha256(string letter) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(letter)));
}
