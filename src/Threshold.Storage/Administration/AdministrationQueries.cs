using Dapper;

namespace Threshold.Storage.Administration;

public sealed class AgencyRow
{
    public string AgencyId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Colour { get; set; }
    public string RegisteredAt { get; set; } = "";
}

public sealed class UserRow
{
    public string UserId { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Phone { get; set; }
    public string PasswordHash { get; set; } = "";
    public string SecurityStamp { get; set; } = "";
    public long FailedCount { get; set; }
    public string? LockoutEnd { get; set; }
    public string Roles { get; set; } = "";

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

public sealed class TokenRow
{
    public string TokenId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string ExpiresAt { get; set; } = "";
    public long Revoked { get; set; }
}

public sealed class AgreementRow
{
    public string AgreementId { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Agencies { get; set; } = "";
    public string RecordedAt { get; set; } = "";

    /// <summary>The agency ids the agreement binds.</summary>
    public IReadOnlyList<string> Parties => Agencies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class AuditRow
{
    public long Position { get; set; }
    public string AgencyId { get; set; } = "";
    public string RecordedAt { get; set; } = "";
    public string Actor { get; set; } = "";
    public string EventType { get; set; } = "";
    public string StreamId { get; set; } = "";
    public string Category { get; set; } = "";
    public string Summary { get; set; } = "";
}

/// <summary>Questions the access layer asks of the administration and audit read models.</summary>
public sealed class AdministrationQueries(ThresholdStore store)
{
    private const string UserSelect =
        """
        SELECT u.user_id AS UserId, u.agency_id AS AgencyId, u.email AS Email, u.normalized_email AS NormalizedEmail,
               u.display_name AS DisplayName, u.phone AS Phone, u.password_hash AS PasswordHash,
               u.security_stamp AS SecurityStamp, s.failed_count AS FailedCount, s.lockout_end AS LockoutEnd,
               COALESCE((SELECT string_agg(r.role, ',') FROM user_roles r WHERE r.user_id = u.user_id), '') AS Roles
        FROM users u JOIN user_security s ON s.user_id = u.user_id
        """;

    // SQLite spells string_agg group_concat; everything else here is portable.
    private string Sql(string sql) => store.Kind == StoreKind.Sqlite ? sql.Replace("string_agg(", "group_concat(", StringComparison.Ordinal) : sql;

    public async Task<AgencyRow?> FindAgencyAsync(string agencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<AgencyRow>(new CommandDefinition(
            "SELECT agency_id AS AgencyId, name AS Name, kind AS Kind, colour AS Colour, registered_at AS RegisteredAt FROM agencies WHERE agency_id = @id",
            new { id = agencyId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AgencyRow>> ListAgenciesAsync(CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<AgencyRow>(new CommandDefinition(
            "SELECT agency_id AS AgencyId, name AS Name, kind AS Kind, colour AS Colour, registered_at AS RegisteredAt FROM agencies ORDER BY name",
            cancellationToken: ct))];
    }

    public async Task<UserRow?> FindUserByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            Sql(UserSelect + " WHERE u.normalized_email = @email"),
            new { email = AdministrationProjection.NormalizeEmail(email) }, cancellationToken: ct));
    }

    public async Task<UserRow?> FindUserByIdAsync(string userId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            Sql(UserSelect + " WHERE u.user_id = @id"), new { id = userId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(string agencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<UserRow>(new CommandDefinition(
            Sql(UserSelect + " WHERE u.agency_id = @agency ORDER BY u.display_name"), new { agency = agencyId }, cancellationToken: ct))];
    }

    public async Task<TokenRow?> FindTokenAsync(string tokenSha256, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            "SELECT token_id AS TokenId, user_id AS UserId, expires_at AS ExpiresAt, revoked AS Revoked FROM api_tokens WHERE token_sha256 = @sha",
            new { sha = tokenSha256 }, cancellationToken: ct));
    }

    public async Task<bool> IsSharedWithAsync(string streamId, string agencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM record_shares WHERE stream_id = @stream AND shared_with = @agency",
            new { stream = streamId, agency = agencyId }, cancellationToken: ct)) > 0;
    }

    /// <summary>The roles that may read a restricted record's content, or null when it is not restricted.</summary>
    public async Task<IReadOnlyList<string>?> ReadableByAsync(string streamId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        var roles = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT readable_by FROM record_restrictions WHERE stream_id = @stream", new { stream = streamId }, cancellationToken: ct));
        return roles?.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    public async Task<IReadOnlyList<AgreementRow>> AgreementsForAsync(string agencyId, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<AgreementRow>(new CommandDefinition(
            """
            SELECT a.agreement_id AS AgreementId, a.purpose AS Purpose, a.agencies AS Agencies, a.recorded_at AS RecordedAt
            FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.agreement_id
            WHERE p.agency_id = @agency ORDER BY a.recorded_at
            """, new { agency = agencyId }, cancellationToken: ct))];
    }

    /// <summary>Every agency that shares an information-sharing agreement with <paramref name="agencyId"/> (itself included when it has one).</summary>
    public async Task<IReadOnlySet<string>> PartnersOfAsync(string agencyId, CancellationToken ct = default) =>
        (await AgreementsForAsync(agencyId, ct)).SelectMany(a => a.Parties).ToHashSet(StringComparer.Ordinal);

    /// <summary>The first agreement binding both agencies, or null: cross-agency sharing runs only under one.</summary>
    public async Task<AgreementRow?> AgreementBetweenAsync(string agencyId, string otherAgencyId, CancellationToken ct = default) =>
        (await AgreementsForAsync(agencyId, ct)).FirstOrDefault(a => a.Parties.Contains(otherAgencyId, StringComparer.Ordinal));

    /// <summary>One page of an agency's audit log, newest first; <paramref name="category"/> filters when given.</summary>
    public async Task<IReadOnlyList<AuditRow>> AuditLogAsync(string agencyId, string? category, long? beforePosition, int pageSize, CancellationToken ct = default)
    {
        await using var c = await store.OpenConnectionAsync(ct);
        return [.. await c.QueryAsync<AuditRow>(new CommandDefinition(
            """
            SELECT position AS Position, agency_id AS AgencyId, recorded_at AS RecordedAt, actor AS Actor,
                   event_type AS EventType, stream_id AS StreamId, category AS Category, summary AS Summary
            FROM audit_log
            WHERE agency_id = @agency AND (@category IS NULL OR category = @category) AND (@before IS NULL OR position < @before)
            ORDER BY position DESC LIMIT @size
            """, new { agency = agencyId, category, before = beforePosition, size = pageSize }, cancellationToken: ct))];
    }
}
