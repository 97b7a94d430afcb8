namespace Threshold.Domain.Access;

// Every read of case content is audited (DESIGN.md, Records): these events are written by the
// one read gateway, in the reader's agency chain, in the same request as the read.

/// <summary>Case content was shown to someone. <paramref name="Channel"/> is page, api, search or export.</summary>
public sealed record CaseContentRead(
    string UserId,
    string UserEmail,
    string StreamId,
    string OwnerAgencyId,
    string Channel,
    string Purpose) : IEvent;

/// <summary>Someone asked for a record they may not see (or that does not exist); they were told "not found".</summary>
public sealed record CaseAccessRefused(
    string UserId,
    string UserEmail,
    string StreamId,
    string Channel,
    string Reason) : IEvent;

/// <summary>An agency shared one record with another; the other agency's users may then read it.</summary>
public sealed record RecordShared(string StreamId, string OwnerAgencyId, string SharedWithAgencyId, string Reason) : IEvent;

public sealed record SignInSucceeded(string UserId, string Email) : IEvent;

/// <summary>A wrong password for a known user; counted toward lock-out.</summary>
public sealed record SignInFailed(string UserId, string Email, int FailedCount) : IEvent;

public sealed record UserLockedOut(string UserId, string Email, DateTimeOffset Until) : IEvent;

public sealed record SignInFailuresReset(string UserId) : IEvent;

/// <summary>
/// An event that restricts who may read its record's content (DESIGN.md: a malicious allegation stays
/// on record, its content readable only by roles allowed to). The read gateway enforces it for every
/// door; other users learn only that the record is restricted.
/// </summary>
public interface IRestrictsContent : IEvent
{
    IReadOnlyList<string> ReadableByRoles { get; }
}
