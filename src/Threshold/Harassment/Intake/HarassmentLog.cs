using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Domain.Harassment;
using Threshold.Harassment.Correspondents;
using Threshold.Harassment.FurtherContact;
using Threshold.Mail.Triage;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment.Intake;

/// <summary>
/// The harassment log of a victim's office: opens an intake for a batch of contacts (an import
/// run, an upload, one API call), with everything it needs to dedupe, group, triage and check
/// each one loaded once.
/// </summary>
public sealed class HarassmentLog(ThresholdStore store, BlobStore blobs, HarassmentQueries queries, AdministrationQueries administration, TimeProvider clock)
{
    // Public mail providers: a caseworker writing from one does not make everyone there "the office".
    private static readonly HashSet<string> PublicDomains = new(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk", "msn.com", "yahoo.com",
        "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "protonmail.com",
        "proton.me", "gmx.com", "mail.com", "example.com", "example.org", "example.net",
    };

    public BlobStore Blobs => blobs;

    public HarassmentQueries Queries => queries;

    /// <summary>The full logged event of a contact (headers, attachments, forwarding) read from the ledger at its position — never the whole intake stream.</summary>
    public async Task<ContactLogged?> LoggedAsync(ContactRow contact, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        await foreach (var e in store.Ledger.ReadAllAsync(contact.Position - 1, ct))
        {
            return e.Position == contact.Position && Storage.Events.EventSerializer.Deserialize(e) is ContactLogged logged && logged.ContactId == contact.ContactId ? logged : null;
        }
        return null;
    }

    /// <summary>Fails with <see cref="DomainRuleException"/> when <paramref name="officeId"/> is not an office agency.</summary>
    public async Task<IntakeSession> OpenIntakeAsync(string officeId, string actor, CancellationToken ct = default)
    {
        var agency = await administration.FindAgencyAsync(officeId, ct);
        if (agency is null)
        {
            throw new DomainRuleException("OfficeMustExist", $"There is no agency '{officeId}'.");
        }
        if (agency.Kind != AgencyKind.Office.ToSlug())
        {
            throw new DomainRuleException("HarassmentLogIsForOffices", $"'{officeId}' is a {agency.Kind} agency: the harassment log is kept by offices.");
        }
        var ownAddresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ownDomains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in await administration.ListUsersAsync(officeId, ct))
        {
            var email = user.Email.Trim().ToLowerInvariant();
            ownAddresses.Add(email);
            var domain = email[(email.LastIndexOf('@') + 1)..];
            if (!PublicDomains.Contains(domain))
            {
                ownDomains.Add(domain);
            }
        }

        var index = new CorrespondentIndex();
        var rawHashes = new HashSet<string>(StringComparer.Ordinal);
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in await queries.ImportKeysAsync(officeId, ct))
        {
            index.Add(row.CorrespondentId, new ContactSender(row.SenderName, row.SenderEmail, row.SenderPhone));
            if (row.RawSha256 is { } raw)
            {
                rawHashes.Add(raw);
            }
            if (row.Fingerprint is { } fingerprint)
            {
                fingerprints.Add(fingerprint);
            }
        }

        // Cross-agency checks run only under an information-sharing agreement (DESIGN.md).
        var partners = await administration.PartnersOfAsync(officeId, ct);
        var instructions = (await queries.InstructionsProtectingAsync(officeId, ct)).Where(i => partners.Contains(i.PoliceAgencyId)).ToList();

        return new IntakeSession(
            store, blobs, clock, officeId, actor,
            address => ownAddresses.Contains(address.Trim()) || ownDomains.Contains(address[(address.LastIndexOf('@') + 1)..].Trim().ToLowerInvariant()),
            index, rawHashes, fingerprints, await queries.StopRequestsAsync(officeId, ct), new FurtherContactCheck(instructions), TriageScorer.Default);
    }
}
