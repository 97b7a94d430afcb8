using Threshold.Storage.Administration;

namespace Threshold.Access;

/// <summary>
/// The user as ASP.NET Core Identity sees it: a snapshot of the read model plus the changes Identity
/// makes during one sign-in, which <see cref="ThresholdUserStore"/> turns into ledger events.
/// </summary>
public sealed class ThresholdUser
{
    public string Id { get; init; } = "";
    public string AgencyId { get; init; } = "";
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string? Phone { get; init; }
    public List<string> Roles { get; init; } = [];
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public int AccessFailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }

    // What was loaded, to tell what Identity changed.
    internal string? LoadedPasswordHash { get; init; }
    internal int LoadedAccessFailedCount { get; init; }
    internal DateTimeOffset? LoadedLockoutEnd { get; init; }

    public static ThresholdUser From(UserRow row)
    {
        DateTimeOffset? lockout = row.LockoutEnd is null ? null : DateTimeOffset.Parse(row.LockoutEnd, System.Globalization.CultureInfo.InvariantCulture);
        return new ThresholdUser
        {
            Id = row.UserId,
            AgencyId = row.AgencyId,
            Email = row.Email,
            DisplayName = row.DisplayName,
            Phone = row.Phone,
            Roles = [.. row.RoleList],
            PasswordHash = row.PasswordHash,
            SecurityStamp = row.SecurityStamp,
            AccessFailedCount = (int)row.FailedCount,
            LockoutEnd = lockout,
            LoadedPasswordHash = row.PasswordHash,
            LoadedAccessFailedCount = (int)row.FailedCount,
            LoadedLockoutEnd = lockout,
        };
    }
}
