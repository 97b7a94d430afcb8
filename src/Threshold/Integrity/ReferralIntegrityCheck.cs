using System.Globalization;
using Threshold.Domain.Agencies;
using Threshold.Domain.Calendar;
using Threshold.Domain.Integrity;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Safeguarding;
using Threshold.Storage.Administration;
using Threshold.Storage.Integrity;
using Threshold.Storage.Policing;
using Threshold.Storage.Safeguarding;
using Roles = Threshold.Storage.Integrity.IntegrityProjection.Roles;

namespace Threshold.Integrity;

/// <summary>
/// The referral integrity check (DESIGN.md; issue 7): runs on every new referral before its creation
/// returns, and again when a relevant record changes (<see cref="IntegrityRecheck"/>). Each signal
/// rests on evidence and is explained in plain words; another agency's record is never shown, only
/// that the agency holds something relevant and whom to ask. Records of another agency are looked
/// at only when it and the council have a recorded information-sharing agreement. The signals change
/// nothing about the referral: the same steps, deadlines and work lists apply (tested).
/// </summary>
public sealed class ReferralIntegrityCheck(IntegrityIndex index, IntegrityQueries integrity, PoliceQueries police, ReferralQueries referrals, AdministrationQueries admin)
    : IReferralIntegrityCheck
{
    /// <summary>A referrer this probable (or more) to be a record's suspect is looked at further; below it, nothing.</summary>
    public const double Candidate = 0.3;

    /// <summary>The mother's match (often on name alone) that suffices when a child of the referral is in the victim's household.</summary>
    public const double HouseholdBacked = 0.5;

    /// <summary>Earlier referrals naming this many unrelated families (with this one) make a non-professional referrer's history a signal.</summary>
    public const int SeveralFamilies = 3;

    /// <summary>Messages compared per reported correspondent at most (newest first).</summary>
    public const int MessagesCompared = 500;

    /// <summary>Wasting police time is in the catalogue but is not conduct against a victim.</summary>
    private static readonly HashSet<string> NotAgainstVictim = new(StringComparer.Ordinal) { "cla-1967-s5-2" };

    private static readonly HashSet<string> EndedAgainstReferrer = new(StringComparer.Ordinal) { "unfounded", "false", "malicious" };

    private static readonly IReadOnlySet<string> SuspectRoles = new HashSet<string> { Roles.Suspect };
    private static readonly IReadOnlySet<string> SubjectRoles = new HashSet<string> { Roles.InstructionSubject };
    private static readonly IReadOnlySet<string> VictimRoles = new HashSet<string> { Roles.Victim };
    private static readonly IReadOnlySet<string> HouseholdRoles = new HashSet<string> { Roles.Household };

    public string Version => "integrity-1";

    public async Task<IReadOnlyList<IntegritySignal>> CheckAsync(ReferralReceived referral, CancellationToken ct)
    {
        var partners = await PartnersAsync(referral.LocalAuthority, ct);
        var policeForces = partners.Values.Where(p => p.Agency.Kind == AgencyKind.Police.ToSlug()).Select(p => p.Agency.AgencyId).ToHashSet(StringComparer.Ordinal);
        var family = referral.Carers.Select(c => (c.Person, c.Role)).Concat(referral.Children.Select(c => (c, "child"))).ToList();
        var signals = new List<IntegritySignal>();
        if (referral.Referrer is { Anonymous: false, Person: { } referrer })
        {
            var suspects = await index.FindOnPoliceSideAsync(referrer, SuspectRoles, policeForces, Candidate, ct);
            signals.AddRange(await SuspectSignalsAsync(referrer, suspects, family, partners, referral.LocalAuthority, ct));
            signals.AddRange(await InstructionSignalsAsync(referral, referrer, suspects, family, policeForces, partners, ct));
            if (!ReferrerStatement.IsProfessional(referral))
            {
                signals.AddRange(await HistorySignalsAsync(referral, referrer, partners, ct));
            }
        }
        if (ReferrerStatement.Check(referral) is { } statement && !await RelationshipOnRecordAsync(referral, ct))
        {
            signals.Add(statement);
        }
        signals.AddRange(await WordingSignalsAsync(referral, policeForces, partners, ct));
        var kinds = SignalKinds.All.ToList();
        return [.. signals.OrderBy(s => SignalStrengths.Rank(s.Strength)).ThenBy(s => kinds.IndexOf(s.Kind))];
    }

    private sealed record Partner(AgencyRow Agency, string AgreementId);

    /// <summary>The agencies the council has an information-sharing agreement with (the council itself included, under "own").</summary>
    private async Task<Dictionary<string, Partner>> PartnersAsync(string council, CancellationToken ct)
    {
        var partners = new Dictionary<string, Partner>(StringComparer.Ordinal);
        foreach (var agreement in await admin.AgreementsForAsync(council, ct))
        {
            foreach (var id in agreement.Parties)
            {
                if (!partners.ContainsKey(id) && await admin.FindAgencyAsync(id, ct) is { } agency)
                {
                    partners[id] = new Partner(agency, agreement.AgreementId);
                }
            }
        }
        if (!partners.ContainsKey(council) && await admin.FindAgencyAsync(council, ct) is { } own)
        {
            partners[council] = new Partner(own, "own");
        }
        return partners;
    }

    private static string ContactFor(string agencyName, string? officerName, string? officerEmail, string? reference) =>
        $"{agencyName} hold information relevant to this referrer \u2014 contact {officerName ?? "the officer in the case"}"
        + (officerEmail is null ? "" : $" ({officerEmail})") + (reference is null ? "" : $", quoting {reference}") + ".";

    private static bool AgainstVictim(PoliceCaseRow row) =>
        row.DomesticAbuse == 1 || row.OffenceCode is null || !NotAgainstVictim.Contains(row.OffenceCode);

    private static string CaseWord(PoliceCaseRow row)
    {
        if (row.OffenceCode is { } code && OffenceCatalogue.Default.TryResolve(code, out var offence) && offence is not null)
        {
            return offence.Title.ToLowerInvariant() + (row.DomesticAbuse == 1 ? " (domestic abuse)" : "");
        }
        return row.DomesticAbuse == 1 ? "domestic abuse" : "harassment";
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Named(string role, PersonDetails p) => role == "child" ? $"the child {p.DisplayName}" : $"the child's {role} {p.DisplayName}";

    /// <summary>None unless the match rests on identity (<see cref="MatchWords.IsIdentity"/>); then strong at the model's "same person" with a detail beyond the name (<see cref="MatchWords.IsAnchored"/>), otherwise moderate when likely.</summary>
    private static string? Strength(IndexedPerson match) =>
        !MatchWords.IsIdentity(match.Match) ? null
        : match.Probability >= MatchWords.SamePerson && MatchWords.IsAnchored(match.Match) ? SignalStrengths.Strong
        : match.Probability >= Candidate ? SignalStrengths.Moderate
        : null;

    private async Task<IEnumerable<IntegritySignal>> SuspectSignalsAsync(PersonDetails referrer, IReadOnlyList<IndexedPerson> suspects, List<(PersonDetails, string)> family,
        Dictionary<string, Partner> partners, string council, CancellationToken ct)
    {
        var signals = new List<IntegritySignal>();
        foreach (var match in suspects.GroupBy(m => m.RecordId).Select(g => g.First()))
        {
            if (Strength(match) is not { } strength || await police.FindCaseAsync(match.RecordId, ct) is not { } row || !AgainstVictim(row))
            {
                continue;
            }
            var victimSide = match.Record.Where(p => p.Role is Roles.Victim or Roles.Household).Select(p => (p.Role, Person: p.Details())).ToList();
            // A child of the referral in the victim's household is strong evidence on its own; with it, the
            // mother named only by name (as referrals often do) is enough to say she is the victim.
            var onHousehold = MatchWords.FamilyMatch(family, victimSide.Where(v => v.Role == Roles.Household).Select(v => v.Person));
            var onVictim = MatchWords.FamilyMatch(family.Where(f => f.Item2 != "child"), victimSide.Where(v => v.Role == Roles.Victim).Select(v => v.Person),
                onHousehold is null ? MatchWords.SamePerson : HouseholdBacked);
            if ((onVictim ?? onHousehold) is not { } fam)
            {
                continue;
            }
            var partner = partners[row.AgencyId];
            var who = Named(fam.Role, fam.Named);
            var explanation = onVictim is not null
                ? $"The referrer appears to be the suspect in a {partner.Agency.Name} case of {CaseWord(row)} in which {who} is the victim."
                : $"The referrer appears to be the suspect in a {partner.Agency.Name} case of {CaseWord(row)} in which {who} is in the victim's household.";
            var familyEvidence = new List<string> { $"{Capital(who)} and the case's {(onVictim is not null ? "victim" : "household member")}: {MatchWords.Describe(fam.Match)}." };
            if (onVictim is not null && onHousehold is { } child)
            {
                familyEvidence.Add($"{Capital(Named(child.Role, child.Named))} and a member of the victim's household: {MatchWords.Describe(child.Match)}.");
            }
            // The record itself only when the force has shared it with this council.
            var shared = await admin.IsSharedWithAsync($"{PoliceProjection.CasePrefix}{row.CaseId}", council, ct)
                ? $" {partner.Agency.Name} have shared the case with you: /records/{PoliceProjection.CasePrefix}{row.CaseId}."
                : "";
            signals.Add(new IntegritySignal(SignalKinds.ReferrerIsSuspect, strength, explanation,
                ContactFor(partner.Agency.Name, row.OfficerName, row.OfficerEmail, row.Reference) + shared,
                [
                    $"The referrer ({referrer.DisplayName}, as given in this referral) and the case's suspect: {MatchWords.Describe(match.Match)}.",
                    .. familyEvidence,
                    $"The police case is {(row.Status == nameof(PoliceCaseStatus.Closed) ? "closed" : "open")}; {partner.Agency.Name} and this council share information under agreement {partner.AgreementId}.",
                ],
                new SignalSource(row.AgencyId, partner.Agency.Name, SignalSourceKinds.PoliceCase, row.CaseId, row.Reference, row.OfficerEmail, row.OfficerName, partner.AgreementId)));
        }
        return signals;
    }

    private async Task<IEnumerable<IntegritySignal>> InstructionSignalsAsync(ReferralReceived referral, PersonDetails referrer, IReadOnlyList<IndexedPerson> suspects,
        List<(PersonDetails, string)> family, IReadOnlySet<string> forces, Dictionary<string, Partner> partners, CancellationToken ct)
    {
        var signals = new List<IntegritySignal>();
        var today = LondonTime.DateOf(referral.ReceivedAt);
        // Instructions found by their subject (names, e-mail, phone as police recorded them), and those of the
        // cases whose suspect the referrer matches (by address too) when the instruction is against that suspect.
        var found = new Dictionary<string, (IndexedPerson Match, PoliceInstructionRow Row)>(StringComparer.Ordinal);
        foreach (var match in await index.FindOnPoliceSideAsync(referrer, SubjectRoles, forces, Candidate, ct))
        {
            if (await police.FindInstructionAsync(match.RecordId, ct) is { } row && (!found.TryGetValue(row.InstructionId, out var seen) || seen.Match.Probability < match.Probability))
            {
                found[row.InstructionId] = (match, row);
            }
        }
        foreach (var match in suspects.GroupBy(m => m.RecordId).Select(g => g.First()))
        {
            foreach (var row in await police.InstructionsForCaseAsync(match.RecordId, ct))
            {
                var subject = System.Text.Json.JsonSerializer.Deserialize<NoContactSubject>(row.Suspect, Storage.Events.EventSerializer.Options)!;
                var against = Policing.PersonMatch.Explain(match.Person, new PersonDetails(subject.GivenName, subject.FamilyName, subject.DateOfBirth, null, null, null));
                if (MatchWords.IsIdentity(against) && (!found.TryGetValue(row.InstructionId, out var seen) || seen.Match.Probability < match.Probability))
                {
                    found[row.InstructionId] = (match, row);
                }
            }
        }
        foreach (var (match, row) in found.Values)
        {
            if (Strength(match) is not { } strength || !InForce(row, today))
            {
                continue;
            }
            if (MatchWords.FamilyMatch(family, PoliceProjection.ProtectedPersons(row.ProtectedPersons)) is not { } fam)
            {
                continue;
            }
            var partner = partners[row.AgencyId];
            var reference = (await police.FindCaseAsync(row.CaseId, ct))?.Reference;
            var who = Named(fam.Role, fam.Named);
            var issued = DateOnly.ParseExact(row.IssuedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var explanation = row.StatutoryOrder is { } order
                ? $"The referrer appears to be subject to a {order} protecting {who}: this referral may itself be a breach of the order. The officer in the case has been alerted."
                : $"The referrer appears to be under a {partner.Agency.Name} no-contact instruction protecting {who}: this referral may itself be further contact. The officer in the case has been alerted.";
            signals.Add(new IntegritySignal(SignalKinds.ReferrerUnderNoContact, strength, explanation,
                ContactFor(partner.Agency.Name, row.OfficerName, row.OfficerEmail, reference),
                [
                    $"The referrer ({referrer.DisplayName}, as given in this referral) and the {(row.StatutoryOrder is null ? "instruction" : "order")}'s subject: {MatchWords.Describe(match.Match)}.",
                    $"{Capital(who)} and a person it protects: {MatchWords.Describe(fam.Match)}.",
                    $"In force since {issued:d MMMM yyyy}{(row.EndsOn is null ? "" : $", until {DateOnly.ParseExact(row.EndsOn, "yyyy-MM-dd", CultureInfo.InvariantCulture):d MMMM yyyy}")}.",
                ],
                new SignalSource(row.AgencyId, partner.Agency.Name, SignalSourceKinds.NoContactInstruction, row.InstructionId, reference, row.OfficerEmail, row.OfficerName, partner.AgreementId)));
        }
        return signals;
    }

    private static bool InForce(PoliceInstructionRow row, DateOnly day) =>
        string.CompareOrdinal(row.IssuedOn, PoliceProjection.Day(day)) <= 0 && (row.EndsOn is null || string.CompareOrdinal(row.EndsOn, PoliceProjection.Day(day)) >= 0);

    private async Task<IEnumerable<IntegritySignal>> HistorySignalsAsync(ReferralReceived referral, PersonDetails referrer, Dictionary<string, Partner> partners, CancellationToken ct)
    {
        var councils = partners.Values.Where(p => p.Agency.Kind == AgencyKind.ChildrenServices.ToSlug()).Select(p => p.Agency.AgencyId).ToHashSet(StringComparer.Ordinal);
        var earlier = (await index.FindReferrersAsync(referrer, councils, MatchWords.SamePerson, ct))
            .Where(m => m.RecordId != referral.ReferralId && MatchWords.IsIdentity(m.Match)).GroupBy(m => m.RecordId).Select(g => g.First()).ToList();
        if (earlier.Count == 0)
        {
            return [];
        }
        var rows = (await referrals.FindManyAsync([.. earlier.Select(e => e.RecordId)], ct))
            .Where(r => string.CompareOrdinal(r.ReceivedAt, ReferralProjection.Utc(referral.ReceivedAt)) <= 0)
            .OrderBy(r => r.ReceivedAt, StringComparer.Ordinal).ToList();
        var best = earlier.ToDictionary(e => e.RecordId, e => e.Match);
        var signals = new List<IntegritySignal>();
        string Where(ReferralRow r) => r.AgencyId == referral.LocalAuthority ? r.Reference : $"{partners[r.AgencyId].Agency.Name} ({r.Reference})";
        string Received(ReferralRow r) => LondonTime.DateOf(r.Received).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var ended = rows.Where(r => r.Finding is { } f && EndedAgainstReferrer.Contains(f) && r.FindingAwaiting == 0).ToList();
        if (ended.Count > 0)
        {
            var malicious = ended.Any(r => r.Finding == "malicious");
            signals.Add(new IntegritySignal(SignalKinds.ReferrerHistory, malicious ? SignalStrengths.Strong : SignalStrengths.Moderate,
                $"The referrer's earlier referrals ended with the allegation found {string.Join(" or ", ended.Select(r => r.Finding!).Distinct())}: {ended.Count} of {rows.Count} earlier referrals by the same person.",
                ended.Any(r => r.AgencyId != referral.LocalAuthority) ? $"Ask the councils named in the evidence about their referrals." : null,
                [.. ended.Select(r => $"{Where(r)}, received {Received(r)}: finding {r.Finding}{(r.Finding == "malicious" ? " (confirmed by a manager)" : "")}; the referrer there and here: {MatchWords.Describe(best[r.ReferralId])}.")],
                new SignalSource(ended[^1].AgencyId, partners[ended[^1].AgencyId].Agency.Name, SignalSourceKinds.Referral, ended[^1].ReferralId, ended[^1].Reference, null, null, partners[ended[^1].AgencyId].AgreementId)));
        }
        var families = new List<List<PersonDetails>> { referral.Children.ToList() };
        var byFamily = new List<ReferralRow>();
        foreach (var row in rows)
        {
            var children = await ChildrenOfAsync(row.ReferralId, ct);
            if (!families.Any(f => f.Any(a => children.Any(b => SameChild(a, b)))))
            {
                families.Add(children);
                byFamily.Add(row);
            }
        }
        if (families.Count >= SeveralFamilies)
        {
            signals.Add(new IntegritySignal(SignalKinds.ReferrerHistory, SignalStrengths.Moderate,
                $"The referrer, who is not a professional, has now referred {families.Count} unrelated families (no child in common).",
                null,
                [.. byFamily.Select(r => $"{Where(r)}, received {Received(r)}, about a different family; the referrer there and here: {MatchWords.Describe(best[r.ReferralId])}.")],
                new SignalSource(byFamily[^1].AgencyId, partners[byFamily[^1].AgencyId].Agency.Name, SignalSourceKinds.Referral, byFamily[^1].ReferralId, byFamily[^1].Reference, null, null,
                    partners[byFamily[^1].AgencyId].AgreementId)));
        }
        return signals;
    }

    /// <summary>
    /// The referrer gave no relationship, but the council's records give one: an earlier referral names
    /// them as a parent or carer of one of these children.
    /// </summary>
    private async Task<bool> RelationshipOnRecordAsync(ReferralReceived referral, CancellationToken ct)
    {
        if (referral.Referrer.Person is not { } referrer)
        {
            return false;
        }
        var asCarer = new ReferralPersonRow
        {
            Role = "carer", GivenName = referrer.GivenName, FamilyName = referrer.FamilyName, DateOfBirth = referrer.DateOfBirth,
            PostcodeKey = ReferralProjection.PostcodeKey(referrer.Address?.Postcode),
        };
        foreach (var carer in await referrals.CandidatesAsync(referral.LocalAuthority, referral.ReferralId, [asCarer], ct: ct))
        {
            if (carer.Role == "child" || Policing.PersonMatch.Explain(referrer, Person(carer)) is not { MatchProbability: >= MatchWords.SamePerson } match || !MatchWords.IsIdentity(match))
            {
                continue;
            }
            if ((await ChildrenOfAsync(carer.ReferralId, ct)).Any(c => referral.Children.Any(r => SameChild(r, c))))
            {
                return true;
            }
        }
        return false;
    }

    private static PersonDetails Person(ReferralPersonRow p) =>
        new(p.GivenName, p.FamilyName, p.DateOfBirth, p.Email, p.Phone, p.PostcodeKey is null ? null : new PostalAddress(p.Line1, p.Town, p.PostcodeKey));

    private async Task<List<PersonDetails>> ChildrenOfAsync(string referralId, CancellationToken ct) =>
        [.. (await referrals.PeopleAsync(referralId, ct)).Where(p => p.Role == "child").Select(Person)];

    private static bool SameChild(PersonDetails a, PersonDetails b) =>
        (a.DateOfBirth is not null && a.DateOfBirth == b.DateOfBirth && string.Equals(a.FamilyName?.Trim(), b.FamilyName?.Trim(), StringComparison.OrdinalIgnoreCase))
        || (Policing.PersonMatch.Explain(a, b) is var match && match.MatchProbability >= MatchWords.SamePerson && MatchWords.IsIdentity(match));

    private async Task<IEnumerable<IntegritySignal>> WordingSignalsAsync(ReferralReceived referral, IReadOnlySet<string> forces, Dictionary<string, Partner> partners, CancellationToken ct)
    {
        var concern = Shingles.Of(referral.Concern);
        if (concern.Count < Resemblance.MinimumShared)
        {
            return [];
        }
        var signals = new List<IntegritySignal>();
        foreach (var (row, carer, victim) in await CasesAgainstParentAsync(referral, forces, ct))
        {
            if (row.ReportId is not { } reportId)
            {
                continue;
            }
            var messages = await integrity.ReportedMessagesAsync(reportId, MessagesCompared, ct);
            if (messages.Count == 0 || !partners.TryGetValue(messages[0].OfficeId, out var office))
            {
                continue; // the office that logged them has no agreement with this council
            }
            var best = messages.Select(m => (Message: m, Text: Shingles.Of($"{m.Subject}\n{m.Body}")))
                .Select(m => (m.Message, m.Text, Close: Resemblance.IsClose(concern, m.Text, out var shared), Shared: shared))
                .Where(m => m.Close).OrderByDescending(m => m.Shared).FirstOrDefault();
            if (best.Message is null)
            {
                continue;
            }
            var policeName = partners[row.AgencyId].Agency.Name;
            var containment = concern.Containment(best.Text);
            var logged = LondonTime.DateOf(DateTimeOffset.Parse(best.Message.ReceivedAt, CultureInfo.InvariantCulture)).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            signals.Add(new IntegritySignal(SignalKinds.WordingResemblesHarassment, containment >= 0.7 ? SignalStrengths.Strong : SignalStrengths.Moderate,
                $"The referral's wording closely resembles messages {office.Agency.Name} logged as harassment of {Named(carer.Role, carer.Person)}, from a correspondent it reported to {policeName}.",
                ContactFor(policeName, row.OfficerName, row.OfficerEmail, row.Reference),
                [
                    string.Create(CultureInfo.InvariantCulture, $"{best.Shared} of the referral's {concern.Count} three-word phrases ({containment:P0}) are in a message logged on {logged}, for example: {string.Join(", ", concern.SharedPhrases(best.Text, 4).Select(p => $"\u201c{p}\u201d"))}."),
                    $"{Capital(Named(carer.Role, carer.Person))} and the victim in that police case: {MatchWords.Describe(victim.Match)}.",
                ],
                new SignalSource(office.Agency.AgencyId, office.Agency.Name, SignalSourceKinds.HarassmentContact, best.Message.ContactId, row.Reference, row.OfficerEmail, row.OfficerName,
                    office.AgreementId, row.AgencyId, row.CaseId)));
        }
        return signals;
    }

    /// <summary>
    /// Police cases in which a parent or carer named in the referral is the victim: the carer matches the
    /// victim as the same person, or a child of the referral is in the victim's household and the carer's
    /// match (often on name alone) is at least <see cref="HouseholdBacked"/>.
    /// </summary>
    private async Task<IReadOnlyList<(PoliceCaseRow Row, CarerDetails Carer, IndexedPerson Victim)>> CasesAgainstParentAsync(ReferralReceived referral, IReadOnlySet<string> forces,
        CancellationToken ct)
    {
        var households = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in referral.Children)
        {
            households.UnionWith((await index.FindOnPoliceSideAsync(child, HouseholdRoles, forces, MatchWords.SamePerson, ct))
                .Where(m => MatchWords.IsIdentity(m.Match)).Select(m => m.RecordId));
        }
        var found = new List<(PoliceCaseRow, CarerDetails, IndexedPerson)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var carer in referral.Carers)
        {
            foreach (var victim in await index.FindOnPoliceSideAsync(carer.Person, VictimRoles, forces, HouseholdBacked, ct))
            {
                if (!MatchWords.IsIdentity(victim.Match) || (victim.Probability < MatchWords.SamePerson && !households.Contains(victim.RecordId)) || !seen.Add(victim.RecordId))
                {
                    continue;
                }
                if (await police.FindCaseAsync(victim.RecordId, ct) is { } row && AgainstVictim(row))
                {
                    found.Add((row, carer, victim));
                }
            }
        }
        return found;
    }

}
