using Threshold.Domain.Access;
using Threshold.Domain.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Administration;

/// <summary>
/// Read model of agencies, users, their roles, sign-in lock-out state, API tokens, information-sharing
/// agreements and record shares — everything the access layer asks on each request.
/// </summary>
public sealed class AdministrationProjection : IProjection
{
    public string Name => "administration";

    public int Version => 2;

    public IReadOnlyList<string> Schema { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS agencies (
            agency_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            colour TEXT NULL,
            registered_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS users (
            user_id TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            email TEXT NOT NULL,
            normalized_email TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            phone TEXT NULL,
            password_hash TEXT NOT NULL,
            security_stamp TEXT NOT NULL,
            registered_at TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS users_agency ON users (agency_id)",
        """
        CREATE TABLE IF NOT EXISTS user_roles (
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (user_id, role))
        """,
        """
        CREATE TABLE IF NOT EXISTS user_security (
            user_id TEXT PRIMARY KEY,
            failed_count INTEGER NOT NULL,
            lockout_end TEXT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS api_tokens (
            token_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE,
            expires_at TEXT NOT NULL,
            revoked INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS agreements (
            agreement_id TEXT PRIMARY KEY,
            purpose TEXT NOT NULL,
            agencies TEXT NOT NULL,
            recorded_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS agreement_parties (
            agreement_id TEXT NOT NULL,
            agency_id TEXT NOT NULL,
            PRIMARY KEY (agreement_id, agency_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS record_shares (
            stream_id TEXT NOT NULL,
            shared_with TEXT NOT NULL,
            owner_agency_id TEXT NOT NULL,
            PRIMARY KEY (stream_id, shared_with))
        """,
        """
        CREATE TABLE IF NOT EXISTS record_restrictions (
            stream_id TEXT PRIMARY KEY,
            readable_by TEXT NOT NULL)
        """,
    ];

    public IReadOnlyList<string> Tables { get; } =
        ["agencies", "users", "user_roles", "user_security", "api_tokens", "agreements", "agreement_parties", "record_shares", "record_restrictions"];

    public async Task ApplyAsync(StoredEvent e, ProjectionWriter writer, CancellationToken ct)
    {
        switch (EventSerializer.Deserialize(e))
        {
            case AgencyRegistered a:
                await writer.ExecuteAsync(
                    "INSERT INTO agencies (agency_id, name, kind, colour, registered_at) VALUES (@id, @name, @kind, @colour, @at)", ct,
                    ("id", a.AgencyId), ("name", a.Name), ("kind", a.Kind), ("colour", a.Colour), ("at", e.RecordedAt));
                break;
            case UserRegistered u:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO users (user_id, agency_id, email, normalized_email, display_name, phone, password_hash, security_stamp, registered_at)
                    VALUES (@id, @agency, @email, @normalized, @name, @phone, @hash, @stamp, @at)
                    """, ct,
                    ("id", u.UserId), ("agency", u.AgencyId), ("email", u.Email), ("normalized", NormalizeEmail(u.Email)),
                    ("name", u.DisplayName), ("phone", u.Phone), ("hash", u.PasswordHash), ("stamp", u.SecurityStamp), ("at", e.RecordedAt));
                await GrantAsync(writer, u.UserId, u.Role, ct);
                await writer.ExecuteAsync(
                    "INSERT INTO user_security (user_id, failed_count, lockout_end) VALUES (@id, 0, NULL)", ct, ("id", u.UserId));
                break;
            case UserRoleGranted g:
                await GrantAsync(writer, g.UserId, g.Role, ct);
                break;
            case UserPasswordChanged p:
                await writer.ExecuteAsync(
                    "UPDATE users SET password_hash = @hash, security_stamp = @stamp WHERE user_id = @id", ct,
                    ("id", p.UserId), ("hash", p.PasswordHash), ("stamp", p.SecurityStamp));
                break;
            case SignInFailed f:
                await writer.ExecuteAsync(
                    "UPDATE user_security SET failed_count = @count WHERE user_id = @id", ct, ("id", f.UserId), ("count", f.FailedCount));
                break;
            case UserLockedOut l:
                await writer.ExecuteAsync(
                    "UPDATE user_security SET failed_count = 0, lockout_end = @until WHERE user_id = @id", ct,
                    ("id", l.UserId), ("until", l.Until.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case SignInFailuresReset r:
                await writer.ExecuteAsync(
                    "UPDATE user_security SET failed_count = 0, lockout_end = NULL WHERE user_id = @id", ct, ("id", r.UserId));
                break;
            case ApiTokenIssued t:
                await writer.ExecuteAsync(
                    "INSERT INTO api_tokens (token_id, user_id, token_sha256, expires_at, revoked) VALUES (@id, @user, @sha, @expires, 0)", ct,
                    ("id", t.TokenId), ("user", t.UserId), ("sha", t.TokenSha256),
                    ("expires", t.ExpiresAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case ApiTokenRevoked r:
                await writer.ExecuteAsync("UPDATE api_tokens SET revoked = 1 WHERE token_id = @id", ct, ("id", r.TokenId));
                break;
            case InformationSharingAgreementRecorded a:
                await writer.ExecuteAsync(
                    "INSERT INTO agreements (agreement_id, purpose, agencies, recorded_at) VALUES (@id, @purpose, @agencies, @at)", ct,
                    ("id", a.AgreementId), ("purpose", a.Purpose), ("agencies", string.Join(",", a.AgencyIds)), ("at", e.RecordedAt));
                foreach (var agency in a.AgencyIds)
                {
                    await writer.ExecuteAsync(
                        "INSERT INTO agreement_parties (agreement_id, agency_id) VALUES (@id, @agency)", ct, ("id", a.AgreementId), ("agency", agency));
                }
                break;
            case RecordShared s:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO record_shares (stream_id, shared_with, owner_agency_id) VALUES (@stream, @with, @owner)
                    ON CONFLICT (stream_id, shared_with) DO NOTHING
                    """, ct,
                    ("stream", s.StreamId), ("with", s.SharedWithAgencyId), ("owner", s.OwnerAgencyId));
                break;
            case IRestrictsContent r:
                await writer.ExecuteAsync(
                    """
                    INSERT INTO record_restrictions (stream_id, readable_by) VALUES (@stream, @roles)
                    ON CONFLICT (stream_id) DO UPDATE SET readable_by = @roles
                    """, ct,
                    ("stream", e.StreamId), ("roles", string.Join(",", r.ReadableByRoles)));
                break;
            default:
                break;
        }
    }

    /// <summary>How e-mail addresses are compared for sign-in: trimmed, upper-case invariant (as ASP.NET Core Identity does).</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    private static Task<int> GrantAsync(ProjectionWriter writer, string userId, string role, CancellationToken ct) =>
        writer.ExecuteAsync(
            "INSERT INTO user_roles (user_id, role) VALUES (@id, @role) ON CONFLICT (user_id, role) DO NOTHING", ct,
            ("id", userId), ("role", role));
}
