using Microsoft.AspNetCore.Identity;
using Threshold.Domain;
using Threshold.Domain.Access;
using Threshold.Domain.Administration;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Access;

/// <summary>
/// ASP.NET Core Identity's view of users, kept on the ledger. Users are created by
/// <see cref="Administration.AdministrationService"/>; Identity only reads them and records
/// sign-in failures, lock-outs and password re-hashes, each as an event in the user's stream.
/// </summary>
public sealed class ThresholdUserStore(ThresholdStore store, AdministrationQueries queries, TimeProvider clock) :
    IUserPasswordStore<ThresholdUser>,
    IUserEmailStore<ThresholdUser>,
    IUserLockoutStore<ThresholdUser>,
    IUserSecurityStampStore<ThresholdUser>,
    IUserRoleStore<ThresholdUser>
{
    public void Dispose()
    {
    }

    public async Task<ThresholdUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        await queries.FindUserByIdAsync(userId, cancellationToken) is { } row ? ThresholdUser.From(row) : null;

    public async Task<ThresholdUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        await queries.FindUserByEmailAsync(normalizedUserName, cancellationToken) is { } row ? ThresholdUser.From(row) : null;

    public Task<ThresholdUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindByNameAsync(normalizedEmail, cancellationToken);

    public async Task<IdentityResult> UpdateAsync(ThresholdUser user, CancellationToken cancellationToken)
    {
        var events = new List<IEvent>();
        var now = clock.GetUtcNow();
        if (user.PasswordHash != user.LoadedPasswordHash && user.PasswordHash is not null)
        {
            events.Add(new UserPasswordChanged(user.Id, user.PasswordHash, user.SecurityStamp));
        }
        if (user.LockoutEnd is { } until && until > now && until != user.LoadedLockoutEnd)
        {
            events.Add(new UserLockedOut(user.Id, user.Email, until));
        }
        else if (user.AccessFailedCount > user.LoadedAccessFailedCount)
        {
            events.Add(new SignInFailed(user.Id, user.Email, user.AccessFailedCount));
        }
        else if (user.AccessFailedCount == 0 && (user.LoadedAccessFailedCount > 0 || user.LoadedLockoutEnd is not null) && (user.LockoutEnd is null || user.LockoutEnd <= now))
        {
            events.Add(new SignInFailuresReset(user.Id));
        }
        if (events.Count > 0)
        {
            await store.Ledger.AppendAsync(user.AgencyId, Administration.AdministrationService.UserStream(user.Id), ExpectedVersion.Any,
                [.. events.Select(EventSerializer.ToNew)], $"user:{user.Email}", cancellationToken);
        }
        return IdentityResult.Success;
    }

    public Task<string> GetUserIdAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<string?> GetNormalizedUserNameAsync(ThresholdUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(AdministrationProjection.NormalizeEmail(user.Email));

    public Task<string?> GetEmailAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<string?> GetNormalizedEmailAsync(ThresholdUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(AdministrationProjection.NormalizeEmail(user.Email));

    public Task<bool> GetEmailConfirmedAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<string?> GetPasswordHashAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetPasswordHashAsync(ThresholdUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task SetSecurityStampAsync(ThresholdUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(ThresholdUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(ThresholdUser user, CancellationToken cancellationToken) =>
        Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(ThresholdUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(ThresholdUser user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IList<string>> GetRolesAsync(ThresholdUser user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>(user.Roles);

    public Task<bool> IsInRoleAsync(ThresholdUser user, string normalizedRoleName, CancellationToken cancellationToken) =>
        Task.FromResult(user.Roles.Any(r => string.Equals(r, normalizedRoleName, StringComparison.OrdinalIgnoreCase)));

    // Users are created, renamed and given roles only through AdministrationService, so that each is
    // a ledger event with its rules; Identity's own write paths are refused rather than half-done.
    public Task<IdentityResult> CreateAsync(ThresholdUser user, CancellationToken cancellationToken) => NotHere();

    public Task<IdentityResult> DeleteAsync(ThresholdUser user, CancellationToken cancellationToken) => NotHere();

    public Task SetUserNameAsync(ThresholdUser user, string? userName, CancellationToken cancellationToken) => NotHere();

    public Task SetNormalizedUserNameAsync(ThresholdUser user, string? normalizedName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetEmailAsync(ThresholdUser user, string? email, CancellationToken cancellationToken) => NotHere();

    public Task SetEmailConfirmedAsync(ThresholdUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetNormalizedEmailAsync(ThresholdUser user, string? normalizedEmail, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddToRoleAsync(ThresholdUser user, string roleName, CancellationToken cancellationToken) => NotHere();

    public Task RemoveFromRoleAsync(ThresholdUser user, string roleName, CancellationToken cancellationToken) => NotHere();

    public Task<IList<ThresholdUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Task.FromResult<IList<ThresholdUser>>([]);

    private static Task<IdentityResult> NotHere() =>
        throw new DomainRuleException("UsersAreAdministeredOnTheRecord", "Users are created and changed through Threshold's administration (threshold users add), never deleted.");
}
