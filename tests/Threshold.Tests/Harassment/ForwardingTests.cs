using MimeKit;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Intake;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment;

/// <summary>Issue 4: forwarded abuse is logged as from its original sender, the forwarder noted; a caseworker is never recorded as the abuser.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private const string Caseworker = "Tess Whitlow <caseworker@alex-morgan-mp.example>";
    private HarassmentStore _log = null!;

    public async Task InitializeAsync() => _log = await HarassmentStore.CreateAsync();

    public async Task DisposeAsync() => await _log.DisposeAsync();

    private async Task<ContactLogged> OnlyContactAsync(ContactResult result)
    {
        Assert.True(result.Outcome == ContactOutcome.Imported, result.Reason);
        await foreach (var e in _log.Store.Ledger.ReadAllAsync(0))
        {
            if (EventSerializer.Deserialize(e) is ContactLogged c && c.ContactId == result.ContactId)
            {
                return c;
            }
        }
        throw new InvalidOperationException("not logged");
    }

    private static MimeMessage Forward(string body, string subject = "Fw: Your campaign") =>
        Mails.Message(from: Caseworker, to: "Casework <casework@alex-morgan-mp.example>", subject: subject, body: body,
            date: new DateTimeOffset(2026, 3, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task An_attached_original_is_logged_from_its_sender_with_its_own_headers_and_hash()
    {
        var original = Mails.Message(body: "You are a useless liar.", messageId: "orig-1@example.net");
        original.Headers.Add("Received", "from mail.example.net by mx.alex-morgan-mp.example; Mon, 2 Mar 2026 09:15:02 +0000");
        var forward = Forward("See below - another one from him.");
        var builder = new BodyBuilder { TextBody = "See below - another one from him." };
        builder.Attachments.Add(new MessagePart { Message = original });
        forward.Body = builder.ToMessageBody();

        var contact = await OnlyContactAsync(Assert.Single(await _log.ImportAsync(forward)));

        Assert.Equal("gary.pike@example.net", contact.Sender.Email);
        Assert.Equal("Gary Pike", contact.Sender.DisplayName);
        Assert.Equal("caseworker@alex-morgan-mp.example", contact.Forwarded!.ForwarderAddress);
        Assert.Equal("attached message", contact.Forwarded.How);
        Assert.Equal("orig-1@example.net", contact.Message!.MessageId);
        Assert.Single(contact.Message.Received);
        Assert.NotNull(contact.Message.OriginalSha256);
        Assert.True(_log.Blobs.Exists(contact.Message.OriginalSha256!));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero), contact.ReceivedAt);
        Assert.Contains("useless liar", contact.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await _log.Queries.CorrespondentsAsync(HarassmentStore.Office), c => c.AddressList.Contains("caseworker@alex-morgan-mp.example"));
    }

    [Theory]
    [InlineData("Gmail", """
        FYI - this came in overnight.

        ---------- Forwarded message ---------
        From: Gary Pike <gary.pike@example.net>
        Date: Mon, 2 Mar 2026 at 09:15
        Subject: Your campaign
        To: Alex Morgan MP <office@alex-morgan-mp.example>


        You are a useless liar and I know where you live.
        """)]
    [InlineData("Outlook", """
        Another one.

        -----Original Message-----
        From: Gary Pike [mailto:gary.pike@example.net]
        Sent: 02 March 2026 09:15
        To: Office of Alex Morgan MP
        Subject: Your campaign

        You are a useless liar and I know where you live.
        """)]
    [InlineData("Outlook", """
        Please log.

        ________________________________
        From: Gary Pike <gary.pike@example.net>
        Sent: Monday, March 2, 2026 9:15 AM
        To: Office of Alex Morgan MP <office@alex-morgan-mp.example>
        Subject: Your campaign

        You are a useless liar and I know where you live.
        """)]
    [InlineData("Apple Mail", """
        Begin forwarded message:

        > From: Gary Pike <gary.pike@example.net>
        > Subject: Your campaign
        > Date: 2 March 2026 at 09:15:00 GMT
        > To: office@alex-morgan-mp.example
        >
        > You are a useless liar and I know where you live.
        """)]
    public async Task An_inline_forwarded_block_is_logged_from_its_original_sender(string client, string body)
    {
        var contact = await OnlyContactAsync(Assert.Single(await _log.ImportAsync(Forward(body))));

        Assert.Equal("gary.pike@example.net", contact.Sender.Email);
        Assert.Equal("Gary Pike", contact.Sender.DisplayName);
        Assert.Equal("caseworker@alex-morgan-mp.example", contact.Forwarded!.ForwarderAddress);
        Assert.Contains(client, contact.Forwarded.How, StringComparison.Ordinal);
        Assert.StartsWith("You are a useless liar", contact.Body, StringComparison.Ordinal);
        Assert.Equal(2026, contact.ReceivedAt.Year);
        Assert.Equal(2, contact.ReceivedAt.Day);
        Assert.Contains(TriageLabels.Threatening, contact.Labels.Where(l => TriageLabels.Applies(l.Bucket)).Select(l => l.Label));
        Assert.Contains(contact.Message!.Problems, p => p.Contains("routing headers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forward_by_a_caseworker_with_no_original_sender_is_rejected_never_logged_as_from_the_caseworker()
    {
        var result = Assert.Single(await _log.ImportAsync(Forward("He rang again and shouted at me, see notes.", subject: "Fw: notes")));

        Assert.Equal(ContactOutcome.Rejected, result.Outcome);
        Assert.Contains("original sender could not be found", result.Reason, StringComparison.Ordinal);
        Assert.Empty(await _log.Queries.ContactsAsync(HarassmentStore.Office, new ContactFilter()));
    }

    [Fact]
    public async Task A_forward_of_a_forward_between_caseworkers_reaches_the_original_sender()
    {
        var body = """
            Logging this one.

            ---------- Forwarded message ---------
            From: Nat Greaves <administrator@alex-morgan-mp.example>
            Date: Tue, 3 Mar 2026 at 07:50
            Subject: Fwd: Your campaign
            To: Tess Whitlow <caseworker@alex-morgan-mp.example>

            Can you log this?

            ---------- Forwarded message ---------
            From: Gary Pike <gary.pike@example.net>
            Date: Mon, 2 Mar 2026 at 09:15
            Subject: Your campaign
            To: office@alex-morgan-mp.example

            Liar.
            """;
        var contact = await OnlyContactAsync(Assert.Single(await _log.ImportAsync(Forward(body))));
        Assert.Equal("gary.pike@example.net", contact.Sender.Email);
        Assert.Equal("Liar.", contact.Body);
    }
}
