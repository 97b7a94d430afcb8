using System.Globalization;
using System.Text.Json;
using Threshold.Domain.Harassment;
using Threshold.Domain.Policing;
using Threshold.Harassment.Correspondents;
using Threshold.Matching;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;
using Threshold.Storage.Events;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment.FurtherContact;

/// <summary>A contact that matches the subject of a no-contact instruction protecting the office.</summary>
public sealed record FurtherContactMatch(InstructionRow Instruction, bool Breach, string Flag, string Explanation);

/// <summary>
/// The further-contact hook (issue 4, step 6): a contact logged by an office protected by a police
/// no-contact instruction is checked, the moment it is logged, against the instruction's subject.
/// An address or phone number in common is a match; a name alone must score as the same person
/// under Threshold.Matching's Fellegi–Sunter model. Contact after a non-statutory instruction is
/// "further contact"; only contact against a statutory order is called a "breach".
/// </summary>
public sealed class FurtherContactCheck
{
    public const double NameOnlyThreshold = 0.95;

    private static readonly Scorer NameScorer = new(MatchModel.Default());

    private readonly IReadOnlyList<(InstructionRow Row, NoContactSubject Suspect, DateOnly IssuedOn, DateOnly? EndsOn)> _instructions;

    public FurtherContactCheck(IReadOnlyList<InstructionRow> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        _instructions = [.. instructions.Select(i => (i, JsonSerializer.Deserialize<NoContactSubject>(i.Suspect, EventSerializer.Options)!,
            DateOnly.ParseExact(i.IssuedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            i.EndsOn is { } ends ? DateOnly.ParseExact(ends, "yyyy-MM-dd", CultureInfo.InvariantCulture) : (DateOnly?)null))];
    }

    public bool IsEmpty => _instructions.Count == 0;

    public IReadOnlyList<FurtherContactMatch> Check(ContactSender sender, CorrespondentIndex.Identity? correspondent, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var matches = new List<FurtherContactMatch>();
        foreach (var (row, suspect, issuedOn, endsOn) in _instructions)
        {
            // Only contact while the instruction or order has effect: from the day it was given to the order's last day.
            var on = DateOnly.FromDateTime(receivedAt.UtcDateTime);
            if (on < issuedOn || on > endsOn)
            {
                continue;
            }
            if (Why(sender, correspondent, suspect) is not { } why)
            {
                continue;
            }
            var breach = row.StatutoryOrder is not null;
            var flag = breach
                ? $"breach of a {row.StatutoryOrder}: contact after the order of {issuedOn:d MMMM yyyy}"
                : $"further contact after a no-contact instruction (issued {issuedOn:d MMMM yyyy})";
            matches.Add(new FurtherContactMatch(row, breach, flag, why));
        }
        return matches;
    }

    private static string? Why(ContactSender sender, CorrespondentIndex.Identity? correspondent, NoContactSubject suspect)
    {
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        if (EmailNormaliser.Normalise(sender.Email) is { Length: > 0 } own)
        {
            addresses.Add(own);
        }
        addresses.UnionWith(correspondent?.Addresses ?? []);
        foreach (var email in suspect.Emails)
        {
            var normalised = EmailNormaliser.Normalise(email);
            if (normalised.Length > 0 && addresses.Contains(normalised))
            {
                return $"the correspondent's address {email} is the suspect's";
            }
        }
        var phones = new HashSet<string>(StringComparer.Ordinal);
        if (CorrespondentIndex.NormalisePhone(sender.Phone) is { } phone)
        {
            phones.Add(phone);
        }
        phones.UnionWith(correspondent?.Phones ?? []);
        foreach (var p in suspect.Phones)
        {
            if (CorrespondentIndex.NormalisePhone(p) is { } normalised && phones.Contains(normalised))
            {
                return $"the correspondent's phone number {p} is the suspect's";
            }
        }
        if (string.IsNullOrWhiteSpace(suspect.FamilyName))
        {
            return null;
        }
        var names = new List<(string Given, string Family)>();
        if (CorrespondentIndex.PersonalName(sender) is { } n)
        {
            names.Add(n);
        }
        names.AddRange(correspondent?.Names ?? []);
        var suspectRecord = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "suspect", GivenName = suspect.GivenName, FamilyName = suspect.FamilyName });
        foreach (var (given, family) in names.Distinct())
        {
            var contact = PersonNormaliser.Default.Normalise(new PersonRecord { Id = "contact", GivenName = given, FamilyName = family });
            var explanation = NameScorer.Explain(contact, suspectRecord);
            if (explanation.MatchProbability >= NameOnlyThreshold)
            {
                return $"the correspondent's name matches the suspect's ({suspect.GivenName} {suspect.FamilyName}; match probability {explanation.MatchProbability:0.000}: {explanation})";
            }
        }
        return null;
    }
}
