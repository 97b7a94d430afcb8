// Events document only their less obvious fields.
#pragma warning disable CS1573

namespace Threshold.Domain.Harassment;

// The harassment log of a victim's office (issue 4): every contact received, how it was grouped
// under a correspondent, how it was triaged, and what caseworkers decided about both. Raw messages
// and attachments are never inside these events: they are in the blob store, named by the SHA-256
// recorded here (the evidence hash, taken at import).

/// <summary>Who a contact came from, as far as it is known. Every field is optional.</summary>
public sealed record ContactSender(
    string? DisplayName,
    string? Email,
    string? Phone = null,
    string? GivenName = null,
    string? FamilyName = null,
    string? DateOfBirth = null,
    string? AddressLine1 = null,
    string? Town = null,
    string? Postcode = null);

/// <summary>An attachment, by reference: its bytes are in the blob store under <paramref name="Sha256"/>.</summary>
/// <remarks><paramref name="Note"/> says what was deliberately not done, e.g. "archive: never unpacked".</remarks>
public sealed record AttachmentEvidence(string Name, string ContentType, long Size, string Sha256, string? Note = null);

/// <summary>The headers of an e-mail that carry evidential weight, and where its raw bytes are.</summary>
/// <param name="RawSha256">SHA-256 of the message's raw bytes as received — the evidence hash.</param>
/// <param name="OriginalSha256">For a forward with the original attached: the SHA-256 of the attached original's own bytes.</param>
/// <param name="Received">The Received chain, newest first, as in the message.</param>
/// <param name="HtmlText">Only in contacts logged before 2026-11-26's third release: the HTML body reduced to text. No longer written: an
/// HTML body with no text body is the contact's body, and an HTML alternative beside a text body is read from the raw message when shown.</param>
/// <param name="HtmlNotes">What an HTML body read as the contact's body tried to do, e.g. "2 scripts removed", "1 remote image (tracking pixel?) not fetched".</param>
/// <param name="Fingerprint">SHA-256 of Message-ID, sender, date, subject and text: the same message delivered twice with different routing headers has the same one.</param>
/// <param name="Problems">What could not be read cleanly (malformed MIME, unknown charsets), in plain words.</param>
public sealed record MessageEvidence(
    string RawSha256,
    long RawSize,
    string? MessageId,
    string? From,
    string? ReplyTo,
    string? ReturnPath,
    string? To,
    string? Date,
    IReadOnlyList<string> Received,
    string? HtmlText,
    IReadOnlyList<string> HtmlNotes,
    IReadOnlyList<AttachmentEvidence> Attachments,
    IReadOnlyList<string> Problems,
    string? OriginalSha256 = null,
    string? SourceName = null,
    string? Fingerprint = null);

/// <summary>A forwarded contact: who forwarded it and how the original was found.</summary>
/// <param name="How">"attached message" or "inline forwarded block (Outlook)", etc.</param>
public sealed record ForwardingNote(string ForwarderAddress, string? ForwarderName, DateTimeOffset? ForwardedAt, string How);

/// <summary>One triage label's verdict on a contact, with the words or phrases that fired.</summary>
public sealed record LabelFinding(string Label, string Bucket, double Score, IReadOnlyList<string> Reasons);

/// <summary>
/// A contact was logged: an e-mail imported or posted, or a phone call, letter, visit or social-media
/// post entered by hand. It carries its correspondent (and why it was grouped there), its triage and
/// any flags raised on import (further contact after a no-contact instruction).
/// </summary>
public sealed record ContactLogged(
    string ContactId,
    string OfficeId,
    string Channel,
    DateTimeOffset ReceivedAt,
    ContactSender Sender,
    string? Subject,
    string Body,
    bool BodyTruncated,
    MessageEvidence? Message,
    ForwardingNote? Forwarded,
    string CorrespondentId,
    bool NewCorrespondent,
    string GroupingReason,
    IReadOnlyList<LabelFinding> Labels,
    string LexiconVersion,
    IReadOnlyList<string> Flags,
    string? ScreenshotSha256 = null) : IEvent;

/// <summary>A caseworker confirmed or overturned a triage label on a contact. The latest review of a label stands.</summary>
public sealed record ContactLabelReviewed(string ContactId, string OfficeId, string Label, string Decision, string? Note) : IEvent;

/// <summary>Two correspondents are one person: <paramref name="MergedId"/>'s contacts move to <paramref name="IntoId"/>.</summary>
public sealed record CorrespondentsMerged(string MergeId, string OfficeId, string IntoId, string MergedId, IReadOnlyList<string> MovedContactIds, string Reason) : IEvent;

/// <summary>A merge was undone: the contacts it moved go back (those not moved again since).</summary>
public sealed record CorrespondentMergeUndone(string MergeId, string OfficeId, string Reason) : IEvent;

/// <summary>Some contacts were not from the same person: they form a new correspondent.</summary>
public sealed record ContactsSplitOff(string SplitId, string OfficeId, string FromId, string NewCorrespondentId, string NewDisplayName, IReadOnlyList<string> ContactIds, string Reason) : IEvent;

/// <summary>A split was undone: its contacts go back to the correspondent they were split from.</summary>
public sealed record ContactsSplitUndone(string SplitId, string OfficeId, string Reason) : IEvent;

/// <summary>The office asked the correspondent to stop contacting it; contacts after this are "repeated after being asked to stop".</summary>
public sealed record CorrespondentAskedToStop(string CorrespondentId, string OfficeId, DateTimeOffset AskedOn, string How) : IEvent;

/// <summary>An import run finished: what it was given and what became of each message (the per-message results stay in the CLI or response).</summary>
public sealed record MailImportCompleted(string ImportId, string OfficeId, string Source, int Imported, int Duplicates, int Rejected) : IEvent;
