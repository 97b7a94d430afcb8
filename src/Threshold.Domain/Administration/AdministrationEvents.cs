namespace Threshold.Domain.Administration;

// Administration is on the record like everything else (issue #2): creating agencies, users,
// roles, tokens and information-sharing agreements are ledger events.

/// <summary>The first event of an agency's chain.</summary>
/// <remarks><paramref name="Colour"/> is the agency's own header colour (#rrggbb), or null for the default.</remarks>
public sealed record AgencyRegistered(string AgencyId, string Name, string Kind, string? Colour = null) : IEvent;

/// <summary>A user joins an agency. The password hash is ASP.NET Core Identity's (PBKDF2); the clear password never reaches the ledger.</summary>
public sealed record UserRegistered(
    string UserId,
    string AgencyId,
    string Email,
    string DisplayName,
    string? Phone,
    string Role,
    string PasswordHash,
    string SecurityStamp) : IEvent;

public sealed record UserRoleGranted(string UserId, string Role) : IEvent;

public sealed record UserPasswordChanged(string UserId, string PasswordHash, string SecurityStamp) : IEvent;

/// <summary>A bearer token was issued. Only its SHA-256 is kept: the token itself is shown once.</summary>
public sealed record ApiTokenIssued(string TokenId, string UserId, string TokenSha256, DateTimeOffset ExpiresAt) : IEvent;

public sealed record ApiTokenRevoked(string TokenId, string UserId, string Reason) : IEvent;

/// <summary>An information-sharing agreement between agencies; cross-agency matching and disclosure run only under one.</summary>
public sealed record InformationSharingAgreementRecorded(string AgreementId, IReadOnlyList<string> AgencyIds, string Purpose) : IEvent;
