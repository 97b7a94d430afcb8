using Threshold.Domain.Harassment;
using Threshold.Matching.Normalisation;
using Threshold.Matching.Scoring;

namespace Threshold.Harassment.Correspondents;

/// <summary>Where a contact goes: an existing correspondent (and why), or a new one.</summary>
public sealed record GroupingDecision(string? CorrespondentId, string Reason)
{
    public bool IsNew => CorrespondentId is null;
}

/// <summary>
/// Groups contacts under correspondents, one person each, and says why (issue 4, step 2). In order:
/// the same address; the same phone number in a signature; the same uncommon display name from a
/// different address (a man writing from a second account under his own name is the usual case);
/// a similar address with a similar name. Names are compared with Threshold.Matching's
/// normalisation, nicknames, Double Metaphone and Jaro–Winkler. A common surname or a
/// one-word name is never enough on its own. Caseworkers merge and split when this is wrong.
/// </summary>
public sealed class CorrespondentIndex
{
    // Very common British surnames: a shared name of this kind says little about who wrote. A
    // judgement list, not statistics; extend it rather than lower the bar.
    private static readonly HashSet<string> CommonSurnames = new(StringComparer.Ordinal)
    {
        "smith", "jones", "williams", "taylor", "brown", "davies", "evans", "wilson", "thomas", "johnson", "roberts", "robinson",
        "thompson", "wright", "walker", "white", "edwards", "hughes", "green", "hall", "lewis", "harris", "clarke", "clark", "patel",
        "jackson", "wood", "turner", "martin", "cooper", "hill", "ward", "morris", "moore", "king", "watson", "baker", "harrison",
        "morgan", "young", "allen", "mitchell", "james", "anderson", "phillips", "lee", "bell", "parker", "davis", "khan", "singh",
        "ali", "ahmed", "begum", "shah", "kaur", "scott", "miller", "campbell", "stewart", "murray", "macdonald", "reid", "kelly", "murphy",
    };

    // Words in display names that name a role or a system, not a person.
    private static readonly HashSet<string> NotPersonal = new(StringComparer.Ordinal)
    {
        "admin", "info", "office", "team", "noreply", "no", "reply", "support", "enquiries", "customer", "services", "service",
        "mailer", "daemon", "postmaster", "newsletter", "unknown", "anonymous", "concerned", "citizen", "resident", "constituent",
    };

    private readonly Dictionary<string, string> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPhone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Known>> _byFamilySound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Identity> _identities = new(StringComparer.Ordinal);

    private sealed record Known(string CorrespondentId, string Given, string Family, string Address);

    /// <summary>What the index knows of one correspondent: every address, phone and name seen.</summary>
    public sealed class Identity
    {
        public HashSet<string> Addresses { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Phones { get; } = new(StringComparer.Ordinal);
        public HashSet<(string Given, string Family)> Names { get; } = [];
    }

    public int Count => _identities.Count;

    public Identity? IdentityOf(string correspondentId) => _identities.GetValueOrDefault(correspondentId);

    /// <summary>Decides where a contact from this sender goes. Similar names are looked for among those whose family name sounds the same (Double Metaphone).</summary>
    public GroupingDecision Decide(ContactSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var address = EmailNormaliser.Normalise(sender.Email);
        if (address.Length > 0 && _byAddress.TryGetValue(address, out var byAddress))
        {
            return new(byAddress, $"same address ({sender.Email})");
        }
        var phone = NormalisePhone(sender.Phone);
        if (phone is not null && _byPhone.TryGetValue(phone, out var byPhone))
        {
            return new(byPhone, $"same phone number ({sender.Phone}){(sender.Email is null ? "" : " in the signature")}");
        }
        var name = PersonalName(sender);
        if (name is { } n)
        {
            var key = $"{n.Given} {n.Family}";
            if (!CommonSurnames.Contains(n.Family) && _byName.TryGetValue(key, out var sameName) && sameName.Count == 1)
            {
                var other = sameName.First();
                return new(other, address.Length > 0
                    ? $"same uncommon name ({Display(sender)}) from a different address ({sender.Email})"
                    : $"same uncommon name ({Display(sender)})");
            }
            if (address.Length > 0 && _byFamilySound.TryGetValue(Sound(n.Family), out var similar))
            {
                var local = EmailNormaliser.LocalPart(address);
                foreach (var candidate in similar)
                {
                    var given = NamesAgree(n.Given, candidate.Given);
                    var family = StringSimilarity.JaroWinkler(n.Family, candidate.Family);
                    var otherLocal = EmailNormaliser.LocalPart(candidate.Address);
                    var addressSimilarity = StringSimilarity.JaroWinkler(Letters(local), Letters(otherLocal));
                    if (given && family >= 0.8 && addressSimilarity >= 0.85)
                    {
                        return new(candidate.CorrespondentId,
                            $"similar address ({sender.Email} ~ {candidate.Address}, {addressSimilarity:0.00}) and similar name ({Display(sender)})");
                    }
                }
            }
        }
        return new(null, address.Length > 0 ? $"new correspondent: first contact from {sender.Email}" : "new correspondent");
    }

    /// <summary>Records a contact's sender under its correspondent, so later contacts find it.</summary>
    public void Add(string correspondentId, ContactSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (!_identities.TryGetValue(correspondentId, out var identity))
        {
            identity = new Identity();
            _identities[correspondentId] = identity;
        }
        var address = EmailNormaliser.Normalise(sender.Email);
        if (address.Length > 0)
        {
            _byAddress[address] = correspondentId;
            identity.Addresses.Add(address);
        }
        if (NormalisePhone(sender.Phone) is { } phone)
        {
            _byPhone[phone] = correspondentId;
            identity.Phones.Add(phone);
        }
        if (PersonalName(sender) is { } n)
        {
            if (identity.Names.Add(n))
            {
                var key = $"{n.Given} {n.Family}";
                if (!_byName.TryGetValue(key, out var set))
                {
                    _byName[key] = set = new HashSet<string>(StringComparer.Ordinal);
                }
                set.Add(correspondentId);
            }
            if (address.Length > 0)
            {
                var sound = Sound(n.Family);
                if (!_byFamilySound.TryGetValue(sound, out var list))
                {
                    _byFamilySound[sound] = list = [];
                }
                if (list.Count < 64 && !list.Any(k => k.CorrespondentId == correspondentId && k.Address == address))
                {
                    list.Add(new Known(correspondentId, n.Given, n.Family, address));
                }
            }
        }
    }

    public static string? NormalisePhone(string? raw) =>
        string.IsNullOrWhiteSpace(raw) ? null : PhoneNormaliser.Normalise(raw) is { Length: >= 7 } p ? p : null;

    /// <summary>Given and family name from a display name ("Gary Pike", "Pike, Gary", "Mr G. Pike") or the given/family fields; null when it is not a person's full name.</summary>
    public static (string Given, string Family)? PersonalName(ContactSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (!string.IsNullOrWhiteSpace(sender.GivenName) && !string.IsNullOrWhiteSpace(sender.FamilyName))
        {
            var g = NameNormaliser.Given(sender.GivenName);
            var f = NameNormaliser.Family(sender.FamilyName);
            return g.Length > 0 && f.Length > 0 ? (g, f) : null;
        }
        var raw = sender.DisplayName?.Trim().Trim('"', '\'');
        if (string.IsNullOrWhiteSpace(raw) || raw.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }
        if (raw.Split(',') is [var last, var first] && first.Trim().Length > 0)
        {
            raw = $"{first.Trim()} {last.Trim()}";
        }
        var tokens = NameNormaliser.GivenNames(raw);
        if (tokens.Count < 2 || tokens.Any(NotPersonal.Contains) || tokens[0].Length < 2 || tokens[^1].Length < 2)
        {
            return null;
        }
        return (tokens[0], tokens[^1]);
    }

    private static bool NamesAgree(string a, string b) =>
        a == b || Nicknames.Default.AreEquivalent(a, b) || StringSimilarity.JaroWinkler(a, b) >= 0.85
        || (a.Length == 1 && b.StartsWith(a, StringComparison.Ordinal)) || (b.Length == 1 && a.StartsWith(b, StringComparison.Ordinal));

    private static string Sound(string family) => DoubleMetaphone.Encode(family).Primary;

    private static string Letters(string s) => new([.. s.Where(char.IsLetter)]);

    private static string Display(ContactSender s) => s.DisplayName ?? $"{s.GivenName} {s.FamilyName}".Trim();
}
