using System.Data.Common;
using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Threshold.Access;
using Threshold.Domain;
using Threshold.Domain.Administration;
using Threshold.Domain.Agencies;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Events;
using Threshold.Storage.Ledger;

namespace Threshold.Administration;

/// <summary>
/// Agencies, users, tokens and agreements: the same use cases behind the CLI, the demo seed and the
/// web. Each is one ledger append; the rules are checked before it and the read model follows inside it.
/// </summary>
public sealed class AdministrationService(ThresholdStore store, AdministrationQueries queries, IPasswordHasher<ThresholdUser> hasher, TimeProvider clock)
{
    /// <summary>NCSC guidance: length, not composition rules.</summary>
    public const int MinimumPasswordLength = 10;

    public static string AgencyStream(string agencyId) => $"agency:{agencyId}";

    public static string UserStream(string userId) => $"user:{userId}";

    public async Task RegisterAgencyAsync(string slug, string name, string kind, string? colour, string actor, CancellationToken ct = default)
    {
        var id = AgencyId.Parse(slug);
        if (!AgencyKinds.TryParse(kind, out var agencyKind))
        {
            throw new DomainRuleException("AgencyKindMustBeKnown", $"Unknown agency kind '{kind}': use police, children-services or office.");
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainRuleException("AgencyNeedsName", "An agency needs a name (--name).");
        }
        if (colour is not null && !System.Text.RegularExpressions.Regex.IsMatch(colour, "^#[0-9a-fA-F]{6}$"))
        {
            throw new DomainRuleException("AgencyColourMustBeHex", $"'{colour}' is not a colour: use #rrggbb.");
        }
        try
        {
            await store.Ledger.AppendAsync(id.Value, AgencyStream(id.Value), ExpectedVersion.NoStream,
                [EventSerializer.ToNew(new AgencyRegistered(id.Value, name.Trim(), agencyKind.ToSlug(), colour?.ToLowerInvariant()))], actor, ct);
        }
        catch (ConcurrencyConflictException)
        {
            throw new DomainRuleException("AgencyIdMustBeUnique", $"An agency with id '{id.Value}' already exists.");
        }
    }

    public async Task<string> AddUserAsync(string agencySlug, string email, string roleSlug, string? displayName, string? phone, string password, string actor, CancellationToken ct = default)
    {
        var agency = await queries.FindAgencyAsync(agencySlug, ct)
            ?? throw new DomainRuleException("AgencyMustExist", $"There is no agency '{agencySlug}'. Add it first with 'threshold agencies add'.");
        AgencyKinds.TryParse(agency.Kind, out var kind);
        var role = Role.ParseFor(roleSlug, kind);
        var address = ParseEmail(email);
        if (password.Length < MinimumPasswordLength)
        {
            throw new DomainRuleException("PasswordMustBeLongEnough", $"The password must be at least {MinimumPasswordLength} characters long.");
        }
        if (await queries.FindUserByEmailAsync(address, ct) is not null)
        {
            throw new DomainRuleException("UserEmailMustBeUnique", $"A user with e-mail {address} already exists.");
        }
        var userId = NewId("u");
        var name = string.IsNullOrWhiteSpace(displayName) ? address : displayName.Trim();
        var user = new ThresholdUser { Id = userId, Email = address };
        var registered = new UserRegistered(userId, agency.AgencyId, address, name, string.IsNullOrWhiteSpace(phone) ? null : phone.Trim(),
            role.Slug, hasher.HashPassword(user, password), NewSecurityStamp());
        try
        {
            await store.Ledger.AppendAsync(agency.AgencyId, UserStream(userId), ExpectedVersion.NoStream, [EventSerializer.ToNew(registered)], actor, ct);
        }
        catch (DbException)
        {
            // Another writer registered the same address between the check and the append; the
            // read model's unique index refused ours and the whole append rolled back.
            if (await queries.FindUserByEmailAsync(address, ct) is not null)
            {
                throw new DomainRuleException("UserEmailMustBeUnique", $"A user with e-mail {address} already exists.");
            }
            throw;
        }
        return userId;
    }

    /// <summary>Issues a bearer token for a user; returns the token, which is shown once and stored only as its SHA-256.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueTokenAsync(string email, TimeSpan lifetime, string actor, CancellationToken ct = default)
    {
        var user = await queries.FindUserByEmailAsync(email, ct)
            ?? throw new DomainRuleException("UserMustExist", $"There is no user with e-mail {email}.");
        var token = ApiTokens.Create();
        var expires = clock.GetUtcNow().Add(lifetime);
        await store.Ledger.AppendAsync(user.AgencyId, UserStream(user.UserId), ExpectedVersion.Any,
            [EventSerializer.ToNew(new ApiTokenIssued(NewId("t"), user.UserId, ApiTokens.Sha256(token), expires))], actor, ct);
        return (token, expires);
    }

    public async Task<string> RecordAgreementAsync(IReadOnlyList<string> agencySlugs, string purpose, string actor, CancellationToken ct = default)
    {
        var distinct = agencySlugs.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
        {
            throw new DomainRuleException("AgreementNeedsTwoAgencies", "An information-sharing agreement needs at least two different agencies.");
        }
        foreach (var slug in distinct)
        {
            if (await queries.FindAgencyAsync(slug, ct) is null)
            {
                throw new DomainRuleException("AgencyMustExist", $"There is no agency '{slug}'.");
            }
        }
        if (string.IsNullOrWhiteSpace(purpose))
        {
            throw new DomainRuleException("AgreementNeedsPurpose", "An information-sharing agreement needs a purpose.");
        }
        var id = NewId("isa");
        await store.Ledger.AppendAsync(AgencyId.System.Value, $"agreement:{id}", ExpectedVersion.NoStream,
            [EventSerializer.ToNew(new InformationSharingAgreementRecorded(id, distinct, purpose.Trim()))], actor, ct);
        return id;
    }

    public static string ParseEmail(string email)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length is 0 or > 254 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !trimmed.Contains('@', StringComparison.Ordinal))
        {
            throw new DomainRuleException("EmailMustBeValid", $"'{email}' is not a valid e-mail address.");
        }
        return parsed.Address;
    }

    public static string NewId(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    public static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
