using Microsoft.Playwright;
using MimeKit;

namespace Threshold.Browser.Tests.Infrastructure;

/// <summary>A plain-text e-mail to the MP's office as an .eml file the upload form takes.</summary>
public static class Emails
{
    public static FilePayload Eml(string name, MailboxAddress from, string subject, string body, DateTimeOffset date)
    {
        using var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse("Alex Morgan MP <office@alex-morgan-mp.example>"));
        message.Subject = subject;
        message.Date = date;
        message.MessageId = $"{Guid.NewGuid():n}@example.net";
        message.Body = new TextPart("plain") { Text = body };
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return new FilePayload { Name = name, MimeType = "message/rfc822", Buffer = stream.ToArray() };
    }
}
