// Records document only their less obvious parameters.
#pragma warning disable CS1573

using System.Globalization;
using Threshold.Domain.Policing;
using Threshold.Domain.Safeguarding;
using Threshold.Matching;
using Threshold.Matching.Generation;

namespace Threshold.Integrity.Evaluation;

/// <summary>What a generated referral truly is: the ground truth the integrity check is scored against.</summary>
public static class ReferralLabels
{
    /// <summary>The suspect (or instruction subject) of a police case refers the victim's children, his details written differently: must be detected.</summary>
    public const string MaliciousOnRecord = "malicious-on-record";

    /// <summary>A malicious referral by someone no agency holds a record of (a friend of the suspect): nothing to detect it by; reported, not scored.</summary>
    public const string MaliciousNotOnRecord = "malicious-not-on-record";

    /// <summary>A teacher, GP, health visitor or police officer refers a family no case is about: any signal is a false alert.</summary>
    public const string ProfessionalRandomFamily = "professional-random-family";

    /// <summary>A professional refers a victim's family: any signal is a false alert.</summary>
    public const string ProfessionalVictimFamily = "professional-victim-family";

    /// <summary>An ex-partner under a no-contact instruction reports real harm: signals are correct; the referral must keep its deadline.</summary>
    public const string HardCase = "hard-case";

    /// <summary>A relative of the suspect (same family name and address, another first name and date of birth) refers the victim's children in good faith.</summary>
    public const string Relative = "relative";

    /// <summary>
    /// A teacher or GP who happens to share the suspect's first and family name (their own work e-mail and
    /// phone, no date of birth) refers the victim's children: a genuine referral; reported apart, not in the target.
    /// </summary>
    public const string ProfessionalNamesake = "professional-namesake";

    /// <summary>
    /// A malicious referral by a suspect whom only a force without an information-sharing agreement with the
    /// council holds on record: the check must not look there, so no record signal.
    /// </summary>
    public const string NoAgreement = "malicious-no-agreement";

    public static IReadOnlyList<string> All { get; } = [MaliciousOnRecord, MaliciousNotOnRecord, ProfessionalRandomFamily, ProfessionalVictimFamily, HardCase, Relative, NoAgreement, ProfessionalNamesake];
}

/// <summary>Settings of a generated set of histories. Everything follows from <see cref="Seed"/>.</summary>
public sealed record ScenarioOptions
{
    public int Histories { get; init; } = 40;

    public int Seed { get; init; } = 7;

    /// <summary>Histories sharing one area's police force, council and office (and their agreement): the more, the more people each check looks through.</summary>
    public int HistoriesPerArea { get; init; } = 10;

    /// <summary>Unrelated police cases per history (other victims and suspects in the same force): decoys the check must not confuse.</summary>
    public int BackgroundCasesPerHistory { get; init; } = 3;

    /// <summary>Professional referrals about random families per history.</summary>
    public int RandomFamilyReferralsPerHistory { get; init; } = 3;

    /// <summary>When the first referral arrives (a Monday morning); the police cases and instructions all come before it.</summary>
    public DateTimeOffset FirstReferralAt { get; init; } = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// One area: a police force, a council's children's services and an MP's office, with an information-sharing
/// agreement between the three; and a neighbouring force with no agreement with the council.
/// </summary>
public sealed record ScenarioArea(string PoliceId, string PoliceName, string CouncilId, string CouncilName, string OfficeId, string OfficeName,
    string NeighbouringPoliceId, string NeighbouringPoliceName);

/// <summary>A police case of a history (or a background case), with its no-contact instruction when one was issued.</summary>
/// <param name="Kind">harassment, stalking, malicious-communications or domestic-abuse.</param>
/// <param name="SuspectRelatives">The suspect's relatives: same family name and address, their own first names and dates of birth.</param>
public sealed record ScenarioCase(string PoliceId, string Kind, PoliceCaseOpened Opened, NoContactInstructionRecorded? Instruction, IReadOnlyList<PersonDetails> SuspectRelatives)
{
    public PersonDetails Victim => Opened.Victim;

    public PersonDetails Suspect => Opened.Suspects[0];
}

/// <summary>A referral to submit, with its ground truth.</summary>
/// <param name="Label">One of <see cref="ReferralLabels"/>.</param>
/// <param name="Case">The police case it is about (the victim's family), or null for a random family.</param>
/// <param name="Written">How the referrer's details differ from the police record ("nickname Gaz, no date of birth, …"), or a description of the referrer.</param>
/// <param name="Actor">Who submits it (the public form, a professional, a police user).</param>
public sealed record ScenarioReferral(string Label, int History, DateTimeOffset At, ReferralSubmission Submission, ScenarioCase? Case, string Written, string Actor);

/// <param name="Background">Unrelated cases in the area's force, and a case in the neighbouring force (no agreement) when the history has one.</param>
public sealed record ScenarioHistory(int Index, ScenarioArea Area, ScenarioCase Case, IReadOnlyList<ScenarioCase> Background, IReadOnlyList<ScenarioReferral> Referrals);

public sealed record Scenarios(ScenarioOptions Options, IReadOnlyList<ScenarioArea> Areas, IReadOnlyList<ScenarioHistory> Histories)
{
    public IEnumerable<ScenarioCase> Cases => Histories.SelectMany(h => h.Background.Prepend(h.Case));

    /// <summary>Every referral, in the order they arrive.</summary>
    public IEnumerable<ScenarioReferral> Referrals => Histories.SelectMany(h => h.Referrals).OrderBy(r => r.At);
}

/// <summary>
/// Generates synthetic multi-agency histories with ground truth for the referral integrity check
/// (issue 7, part 5): in each, a police case of harassment, stalking, malicious communications or
/// domestic abuse in which a mother is the victim and her children are her household, often with a
/// no-contact instruction protecting them; then referrals to the council about the children —
/// malicious ones by the suspect with his details written differently from the police record
/// (a nickname or a typo in the first name, no date of birth, another or no e-mail address, the phone
/// number formatted differently, the address abbreviated), genuine ones by professionals about these
/// families and about random families, an ex-partner under an instruction reporting real harm, and
/// the suspect's relatives (same family name and address) referring in good faith. Random families,
/// professionals and background cases come from Threshold.Matching's household generator; the
/// histories' own people from the name lists below. Deterministic from the seed. All names are
/// fictional; phone numbers are from Ofcom's ranges reserved for drama; e-mail domains are example.*.
/// </summary>
public static class IntegrityScenarios
{
    private static readonly string[] Kinds = ["harassment", "stalking", "malicious-communications", "domestic-abuse"];

    // First names with the informal forms people really use for them (not all of them are in the matcher's nickname table).
    private static readonly (string Name, string[] Informal)[] Men =
    [
        ("Daniel", ["Danny", "Dan"]), ("Michael", ["Mick", "Mike"]), ("Christopher", ["Chris", "Kit"]), ("Anthony", ["Tony", "Ant"]), ("Stephen", ["Steve", "Stevie"]),
        ("Robert", ["Rob", "Bob", "Robbie"]), ("Richard", ["Rick", "Rich"]), ("Andrew", ["Andy", "Drew"]), ("Gary", ["Gaz"]), ("Darren", ["Daz"]), ("Barry", ["Baz"]),
        ("Matthew", ["Matt", "Matty"]), ("Jonathan", ["Jon", "Jonny"]), ("Nicholas", ["Nick", "Nicky"]), ("Thomas", ["Tom", "Tommy"]), ("James", ["Jim", "Jamie", "Jimmy"]),
        ("William", ["Bill", "Will", "Billy"]), ("Kenneth", ["Ken", "Kenny"]), ("Terence", ["Terry", "Tel"]), ("Stuart", ["Stu"]), ("Joseph", ["Joe", "Joey"]),
        ("Benjamin", ["Ben", "Benny"]), ("Edward", ["Eddie", "Ted"]), ("Timothy", ["Tim"]), ("Peter", ["Pete"]), ("Raymond", ["Ray"]), ("Gregory", ["Greg"]),
        ("Kevin", ["Kev"]), ("Lee", []), ("Dean", []), ("Wayne", []), ("Craig", []), ("Neil", []), ("Shaun", []), ("Carl", []), ("Paul", []), ("Mark", []), ("Ryan", []),
    ];

    private static readonly string[] Women =
    [
        "Sarah", "Emma", "Rebecca", "Laura", "Claire", "Kerry", "Nicola", "Joanne", "Lisa", "Hannah", "Gemma", "Amy", "Natalie", "Leanne", "Michelle",
        "Stacey", "Kirsty", "Danielle", "Samantha", "Victoria", "Rachel", "Helen", "Louise", "Zoe", "Jade", "Charlotte", "Katie", "Amanda", "Priya",
        "Aisha", "Siobhan", "Megan", "Bethan", "Chloe", "Lucy", "Sophie", "Jennifer", "Catherine", "Deborah", "Karen", "Susan", "Julie", "Carol",
        "Janet", "Linda", "Margaret", "Patricia", "Christine",
    ];

    private static readonly string[] Children =
    [
        "Oliver", "Noah", "Leo", "Alfie", "Freddie", "Archie", "Theo", "Oscar", "Harry", "Jack", "Isla", "Ava", "Mia", "Lily", "Poppy", "Ella", "Evie",
        "Freya", "Ruby", "Grace", "Millie", "Daisy", "Amelia", "Olivia", "Isabella", "Ivy", "Florence", "Arthur", "George", "Finley", "Jacob", "Charlie", "Max",
    ];

    private static readonly string[] AreaNames = ["Harbourside", "Millbrook", "Northcote", "Kingsmere", "Larkhill", "Fenwick", "Greystone", "Thornbury", "Stanmoor", "Oakhampton"];

    private static readonly string[] PhoneRanges =
    [
        "07700 900", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
        "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "020 7946 0", "0191 498 0", "029 2018 0", "01632 960",
    ];

    private static readonly (string Word, string Short)[] StreetWords =
    [
        ("Road", "Rd"), ("Street", "St"), ("Lane", "Ln"), ("Close", "Cl"), ("Avenue", "Ave"), ("Drive", "Dr"), ("Crescent", "Cres"),
        ("Grove", "Gr"), ("Terrace", "Ter"), ("Gardens", "Gdns"), ("Court", "Ct"), ("Way", "Wy"),
    ];

    private static readonly (string Role, string Relationship, string Domain)[] Professions =
    [
        ("teacher", "class teacher at the child's school", "primary.example.sch"), ("teacher", "designated safeguarding lead at the child's school", "academy.example.sch"),
        ("gp", "the family's GP", "surgery.example.nhs"), ("health-visitor", "health visitor", "community-health.example.nhs"),
        ("school-nurse", "school nurse", "community-health.example.nhs"),
    ];

    private static readonly string[] MaliciousConcerns =
    [
        "The children are at direct risk. Their mother leaves them alone at night and drinks heavily. Someone needs to check on them before something happens.",
        "I am worried about the children. Their mother has men coming and going at all hours and the children are not being fed properly.",
        "The mother shouts and hits the children, I have heard it through the wall many times. She is not fit to look after them.",
        "The children are being neglected. Their mother is using drugs in the house and the youngest is often left in a dirty nappy all day.",
        "Their mother is unstable and has threatened to harm herself and the children. Please act now before it is too late.",
    ];

    private static readonly string[] GenuineConcerns =
    [
        "The child came to school with bruising to the upper arm and said it happened at home. The child seemed frightened to go home at the end of the day.",
        "Attendance has dropped to 62% this term and the child has come in hungry several times. The parent has not responded to our letters.",
        "At the 9-12 month review the baby had lost weight and the home was very cold. Mother appeared low in mood and said she was not coping.",
        "The child disclosed that an adult at home hits them with a belt when they misbehave. The disclosure was recorded word for word and is attached.",
        "Police attended a domestic incident at the address last night. The children were present and witnessed the assault on their mother.",
        "The young person has been missing from home twice this month and was found with older males in a car park. There are concerns about exploitation.",
    ];

    private static readonly string[] RealHarmConcerns =
    [
        "When I collected my son for contact he had a burn on his hand that had not been treated. He said it was from the oven and that nobody took him to the doctor.",
        "My daughter told me on our phone call that her mother's new partner hits her. She was crying and said she was scared to go home.",
    ];

    /// <summary>Generates the histories. The same options always give the same histories.</summary>
    public static Scenarios Generate(ScenarioOptions? options = null)
    {
        options ??= new ScenarioOptions();
        var g = new Generator(options);
        var areas = Enumerable.Range(0, (options.Histories + options.HistoriesPerArea - 1) / Math.Max(1, options.HistoriesPerArea)).Select(Area).ToList();
        var histories = new List<ScenarioHistory>();
        for (var h = 0; h < options.Histories; h++)
        {
            histories.Add(g.History(h, areas[h / Math.Max(1, options.HistoriesPerArea)]));
        }
        return new Scenarios(options, areas, histories);
    }

    private static ScenarioArea Area(int a)
    {
        var name = AreaNames[a % AreaNames.Length] + (a < AreaNames.Length ? "" : $" {(a / AreaNames.Length) + 1}");
        var slug = name.ToLowerInvariant().Replace(' ', '-');
        return new ScenarioArea($"{slug}-police", $"{name} Police", $"{slug}-council", $"{name} Borough Council children's services", $"{slug}-mp-office", $"Office of the MP for {name}",
            $"{slug}-neighbouring-police", $"Police force neighbouring {name}");
    }

    /// <summary>A phone number written another way: no spaces, +44, or grouped differently (the same number).</summary>
    public static string Reformat(string phone, Random random)
    {
        var digits = new string([.. phone.Where(char.IsDigit)]);
        return random.Next(3) switch
        {
            0 => digits,
            1 => "+44 " + digits[1..],
            _ => digits.Length == 11 ? $"({digits[..5]}) {digits[5..8]} {digits[8..]}" : "+44" + digits[1..],
        };
    }

    /// <summary>"12 Acacia Road" as "12 Acacia Rd", the postcode in lower case without its space; sometimes no town.</summary>
    public static PostalAddress Abbreviate(PostalAddress address, Random random)
    {
        var line = address.Line1 ?? "";
        foreach (var (word, abbreviation) in StreetWords)
        {
            if (line.EndsWith(" " + word, StringComparison.Ordinal))
            {
                line = line[..^word.Length] + abbreviation;
                break;
            }
        }
        var postcode = address.Postcode is { } p ? (random.Next(2) == 0 ? p.Replace(" ", "", StringComparison.Ordinal) : p).ToLowerInvariant() : null;
        return new PostalAddress(line, random.Next(3) == 0 ? null : address.Town, postcode);
    }

    /// <summary>A typing slip in a name: two letters swapped, one dropped or one doubled (never the first letter).</summary>
    public static string Typo(string name, Random random)
    {
        if (name.Length < 4)
        {
            return name + name[^1];
        }
        var chars = name.ToCharArray().ToList();
        var i = random.Next(1, chars.Count - 1);
        switch (random.Next(3))
        {
            case 0:
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                if (chars.SequenceEqual(name))
                {
                    chars.RemoveAt(i);
                }
                break;
            case 1:
                chars.RemoveAt(i);
                break;
            default:
                chars.Insert(i, chars[i]);
                break;
        }
        return new string([.. chars]);
    }

    private static string Title(string? s) =>
        string.IsNullOrEmpty(s) ? s ?? "" : string.Join(' ', s.Split(' ').Select(w => string.Join('-', w.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]))));

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Id(Random random) => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));

    /// <summary>Carries the random source and the household stream through one generation.</summary>
    private sealed class Generator(ScenarioOptions options)
    {
        private readonly Random _random = new(options.Seed);
        private readonly IEnumerator<PersonRecord> _people = HouseholdGenerator.People(int.MaxValue, options.Seed + 1).GetEnumerator();
        private PersonRecord? _pending;
        private readonly HashSet<int> _usedPhones = [];
        private readonly HashSet<string> _usedEmails = new(StringComparer.Ordinal);

        private static DateOnly Today => new(2026, 11, 2);

        /// <summary>The next household of the generator's stream (one family name at one address).</summary>
        private List<PersonRecord> Household()
        {
            var household = new List<PersonRecord>();
            if (_pending is not null)
            {
                household.Add(_pending);
                _pending = null;
            }
            while (_people.MoveNext())
            {
                var p = _people.Current;
                if (household.Count > 0 && (p.FamilyName != household[0].FamilyName || p.Postcode != household[0].Postcode || p.AddressLine1 != household[0].AddressLine1))
                {
                    _pending = p;
                    break;
                }
                household.Add(p);
            }
            return household;
        }

        private static bool Minor(PersonRecord p) => DateOnly.TryParseExact(p.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d > Today.AddYears(-17);

        private static bool Adult(PersonRecord p) => DateOnly.TryParseExact(p.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d < Today.AddYears(-21);

        private static PersonDetails Details(PersonRecord p) =>
            new(Title(p.GivenName), Title(p.FamilyName), p.DateOfBirth, p.Email, p.Phone,
                new PostalAddress($"{p.StreetNumber} {Title(p.AddressLine1)}".Trim(), Title(p.Town), p.Postcode));

        /// <summary>A household from the stream with at least one adult and one child under 17: a random family.</summary>
        private (PersonDetails Carer, List<PersonDetails> Children) RandomFamily()
        {
            while (true)
            {
                var h = Household();
                if (h.FirstOrDefault(Adult) is { } adult && h.Where(Minor).ToList() is { Count: > 0 } children)
                {
                    return (Details(adult), [.. children.Select(c => Details(c) with { Email = null, Phone = null })]);
                }
            }
        }

        /// <summary>An adult from the stream (a professional, a friend, a background suspect).</summary>
        private PersonDetails RandomAdult()
        {
            while (true)
            {
                if (Household().FirstOrDefault(Adult) is { } adult)
                {
                    return Details(adult);
                }
            }
        }

        /// <summary>A number no one else in these histories has (drawn at random: neighbouring numbers would look like one digit slipped).</summary>
        private string Phone()
        {
            int n;
            do
            {
                n = 4_000 + _random.Next(12_000); // the household generator hands out its first numbers in order from 0
            }
            while (!_usedPhones.Add(n));
            return PhoneRanges[n / 1000] + (n % 1000).ToString("D3", CultureInfo.InvariantCulture);
        }

        private string Email(string given, string family, string? domain = null)
        {
            var local = $"{given}.{family}".ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
            var email = $"{local}@{domain ?? "example.org"}";
            while (!_usedEmails.Add(email))
            {
                email = $"{local}{_random.Next(2, 99)}@{domain ?? (_random.Next(2) == 0 ? "example.com" : "example.net")}";
            }
            return email;
        }

        private string Dob(int fromYear, int toYear) => Day(new DateOnly(fromYear, 1, 1).AddDays(_random.Next(365 * (toYear - fromYear + 1))));

        private T Pick<T>(IReadOnlyList<T> xs) => xs[_random.Next(xs.Count)];

        private DateTimeOffset ReferralTime(int history, int k) =>
            // Working hours over the fortnight after FirstReferralAt, in history order.
            options.FirstReferralAt.AddDays((history * 10 / Math.Max(1, options.Histories)) + (k / 4)).AddMinutes((history * 37 + k * 53) % 480);

        public ScenarioHistory History(int h, ScenarioArea area)
        {
            var kind = Kinds[h % Kinds.Length];
            var domestic = kind == "domestic-abuse";
            // The victim's family: a mother and her children, at the address of a generated household.
            var home = RandomAdult();
            var motherGiven = Pick(Women);
            var fatherFamily = domestic ? Title(RandomAdult().FamilyName) : null;
            var childrenFamily = domestic && _random.Next(2) == 0 ? fatherFamily! : home.FamilyName!;
            var mother = new PersonDetails(motherGiven, home.FamilyName, Dob(1982, 1996), Email(motherGiven, home.FamilyName!), Phone(), home.Address);
            var children = Enumerable.Range(0, 1 + _random.Next(3))
                .Select(_ => Pick(Children)).Distinct().Select(c => new PersonDetails(c, childrenFamily, Dob(2011, 2024), null, null, home.Address)).ToList();
            // The suspect: a man at another address; in domestic abuse the children's father, who has moved out.
            var suspectName = Pick(Men);
            var suspectHome = RandomAdult();
            var suspectFamily = domestic ? fatherFamily! : suspectHome.FamilyName!;
            var landline = _random.Next(2) == 0 ? Phone() : null;
            var mobile = Phone();
            var suspect = new PersonDetails(suspectName.Name, suspectFamily, Dob(1976, 1994), Email(suspectName.Name, suspectFamily),
                landline is not null && _random.Next(10) < 3 ? landline : mobile, suspectHome.Address);
            var relatives = Relatives(suspect, landline);
            var opened = options.FirstReferralAt.AddDays(-30 - _random.Next(150));
            var @case = Case(area, kind, mother, suspect, children, relatives, opened, instruction: _random.NextDouble() < (domestic ? 0.8 : 0.5));
            var background = Enumerable.Range(0, options.BackgroundCasesPerHistory).Select(_ => BackgroundCase(area)).ToList();

            var referrals = new List<ScenarioReferral>();
            var k = 0;
            // Malicious referrals by the suspect about the victim's children, his details written differently each time.
            for (var m = 0; m < 2; m++)
            {
                var (written, how) = WrittenDifferently(suspect);
                referrals.Add(Public(ReferralLabels.MaliciousOnRecord, h, ReferralTime(h, k++), area, @case, written, how,
                    domestic ? Pick(["father", "the children's dad", "ex-partner of the mother"]) : Pick(["neighbour", "family friend", "concerned neighbour", "I know the family", "friend of the mother"]),
                    Pick(["first-hand", "first-hand", "first-hand", "second-hand", "online"]), Pick(MaliciousConcerns)));
            }
            // Sometimes a friend of the suspect refers for him: no agency holds anything on the friend.
            if (_random.Next(2) == 0)
            {
                var friend = RandomAdult();
                referrals.Add(Public(ReferralLabels.MaliciousNotOnRecord, h, ReferralTime(h, k++), area, @case, friend with { DateOfBirth = null }, "a friend of the suspect, on no record",
                    Pick(["neighbour", "family friend", "a member of the public"]), Pick(["first-hand", "second-hand"]), Pick(MaliciousConcerns)));
            }
            // Professionals: one about the victim's family, others about random families.
            referrals.Add(Professional(ReferralLabels.ProfessionalVictimFamily, h, ReferralTime(h, k++), area, @case, [mother], children));
            for (var r = 0; r < options.RandomFamilyReferralsPerHistory; r++)
            {
                var (carer, kids) = RandomFamily();
                referrals.Add(Professional(ReferralLabels.ProfessionalRandomFamily, h, ReferralTime(h, k++), area, null, [carer], kids));
            }
            // Sometimes a professional shares the suspect's name.
            if (_random.Next(4) == 0)
            {
                referrals.Add(Professional(ReferralLabels.ProfessionalNamesake, h, ReferralTime(h, k++), area, @case, [mother], children,
                    RandomAdult() with { GivenName = suspect.GivenName, FamilyName = suspect.FamilyName }, agencyDoor: false));
            }
            // The hard case: the ex-partner under an instruction reports real harm, with his details as he gives them.
            if (domestic && @case.Instruction is not null)
            {
                var written = suspect with { DateOfBirth = _random.Next(2) == 0 ? null : suspect.DateOfBirth, Email = _random.Next(2) == 0 ? suspect.Email : null };
                referrals.Add(Public(ReferralLabels.HardCase, h, ReferralTime(h, k++), area, @case, written, "the children's father, under a no-contact instruction, reporting real harm",
                    "father", "first-hand", Pick(RealHarmConcerns)));
            }
            // Sometimes a suspect known only to the neighbouring force (no agreement with this council) refers his victim's children.
            if (_random.Next(4) == 0)
            {
                var (neighbourVictim, neighbourChildren) = RandomFamily();
                var neighbourSuspectName = Pick(Men).Name;
                var neighbourSuspectHome = RandomAdult();
                var neighbourSuspect = new PersonDetails(neighbourSuspectName, neighbourSuspectHome.FamilyName, Dob(1976, 1994), Email(neighbourSuspectName, neighbourSuspectHome.FamilyName!),
                    Phone(), neighbourSuspectHome.Address);
                var neighbourArea = area with { PoliceId = area.NeighbouringPoliceId, PoliceName = area.NeighbouringPoliceName };
                var unshared = Case(neighbourArea, Pick(Kinds), neighbourVictim, neighbourSuspect, neighbourChildren, [], options.FirstReferralAt.AddDays(-30 - _random.Next(150)),
                    instruction: _random.Next(2) == 0);
                background.Add(unshared);
                var (written, how) = WrittenDifferently(neighbourSuspect);
                referrals.Add(Public(ReferralLabels.NoAgreement, h, ReferralTime(h, k++), area, unshared, written, how,
                    Pick(["neighbour", "family friend"]), "first-hand", Pick(MaliciousConcerns)));
            }
            // A relative of the suspect refers the children in good faith.
            var relative = Pick(relatives);
            referrals.Add(Public(ReferralLabels.Relative, h, ReferralTime(h, k++), area, @case,
                relative with { DateOfBirth = _random.Next(5) == 0 ? null : relative.DateOfBirth },
                $"the suspect's relative {relative.GivenName} {relative.FamilyName} (same family name and address)",
                domestic ? KinTo(relative) : Pick(["neighbour", "family friend"]), "first-hand", Pick(GenuineConcerns)));
            return new ScenarioHistory(h, area, @case, background, referrals);
        }

        /// <summary>What the suspect's parent or sibling is to his children.</summary>
        private static string KinTo(PersonDetails relative)
        {
            var woman = Women.Contains(relative.GivenName);
            return string.CompareOrdinal(relative.DateOfBirth, "1970") < 0 ? (woman ? "grandmother" : "grandfather") : (woman ? "aunt" : "uncle");
        }

        /// <summary>The suspect's parents and siblings: his family name and address; their own first names, dates of birth, e-mail and (sometimes the shared) phone.</summary>
        private List<PersonDetails> Relatives(PersonDetails suspect, string? landline)
        {
            var relatives = new List<PersonDetails>();
            var count = 1 + _random.Next(3);
            for (var i = 0; i < count; i++)
            {
                var parent = i == 0 || _random.Next(2) == 0;
                var man = _random.Next(2) == 0;
                string given;
                do
                {
                    given = man ? Pick(Men).Name : Pick(Women);
                }
                while (given == suspect.GivenName || relatives.Any(r => r.GivenName == given));
                relatives.Add(new PersonDetails(given, suspect.FamilyName, parent ? Dob(1948, 1966) : Dob(1978, 2000), Email(given, suspect.FamilyName!),
                    landline is not null && _random.Next(2) == 0 ? landline : Phone(), suspect.Address));
            }
            return relatives;
        }

        private ScenarioCase Case(ScenarioArea area, string kind, PersonDetails victim, PersonDetails suspect, List<PersonDetails> household, List<PersonDetails> relatives,
            DateTimeOffset opened, bool instruction)
        {
            var id = Id(_random)[..16];
            var officer = _random.Next(2) == 0 ? Pick(Men).Name : Pick(Women);
            var officerFamily = Title(RandomAdult().FamilyName);
            var officerEmail = Email(officer, officerFamily, area.PoliceId + ".example");
            var offence = kind == "domestic-abuse" ? Pick(["harassment", "stalking"]) : kind;
            var summary = kind switch
            {
                "stalking" => "Following the victim, waiting outside her home and her children's school, repeated messages.",
                "malicious-communications" => "Threatening and grossly offensive messages sent to the victim on several occasions.",
                "domestic-abuse" => "Ex-partner harassing the victim since the separation: messages, turning up at the home, threats.",
                _ => "Repeated abusive messages and calls to the victim after being told to stop.",
            };
            var open = PoliceCaseRules.Open(new CrimeReportSubmission(victim, [suspect], household, offence, summary, kind == "domestic-abuse"),
                id, area.PoliceId, officerEmail, $"DC {officer} {officerFamily}", opened, OffenceCatalogue.Default, DisposalCatalogue.Default);
            NoContactInstructionRecorded? nci = null;
            if (instruction)
            {
                // As PoliceCase.IssueNoContactInstruction records it: the suspect as police hold him, protecting the victim and her household.
                var order = _random.Next(10) == 0 ? "restraining order" : null;
                var subject = new NoContactSubject(suspect.GivenName, suspect.FamilyName, suspect.DateOfBirth, suspect.Email is { } e ? [e] : [], suspect.Phone is { } p ? [p] : []);
                nci = new NoContactInstructionRecorded($"nci-{Id(_random)[..16]}", id, area.PoliceId, officerEmail, open.OfficerName,
                    LondonTimeDate(opened.AddDays(7 + _random.Next(20))), subject, [], order, [victim, .. household]);
            }
            return new ScenarioCase(area.PoliceId, kind, open, nci, relatives);
        }

        private static DateOnly LondonTimeDate(DateTimeOffset t) => Domain.Calendar.LondonTime.DateOf(t);

        private ScenarioCase BackgroundCase(ScenarioArea area)
        {
            var (victim, children) = RandomFamily();
            var suspect = RandomAdult();
            var kind = Pick(Kinds);
            return Case(area, kind, victim, suspect, children, [], options.FirstReferralAt.AddDays(-30 - _random.Next(300)), instruction: _random.Next(3) == 0);
        }

        /// <summary>
        /// The suspect's details as he writes them in a referral: a nickname or a typing slip in the first name,
        /// no date of birth most of the time, another or no e-mail address, the same phone number formatted
        /// differently (or none, or a new one), the address abbreviated or left out. He always gives at least one
        /// way to be reached that police also hold (the phone number, the e-mail address or the address):
        /// a referrer who can be recognised by nothing at all is outside what any check can do.
        /// </summary>
        public (PersonDetails Written, string How) WrittenDifferently(PersonDetails p)
        {
            var how = new List<string>();
            var given = p.GivenName!;
            var informal = Men.FirstOrDefault(m => m.Name == given).Informal ?? [];
            var roll = _random.NextDouble();
            if (roll < 0.4 && informal.Length > 0)
            {
                given = Pick(informal);
                how.Add($"nickname {given}");
            }
            else if (roll < 0.65)
            {
                given = Typo(given, _random);
                how.Add($"typo {given}");
            }
            var dob = _random.NextDouble() < 0.7 ? null : p.DateOfBirth;
            how.Add(dob is null ? "no date of birth" : "date of birth");
            var e = _random.NextDouble();
            var email = e < 0.4 ? Email(informal.Length > 0 ? informal[0] : given, "x" + _random.Next(100, 999)) : e < 0.75 ? null : p.Email;
            how.Add(email is null ? "no e-mail" : email == p.Email ? "same e-mail" : "other e-mail");
            var ph = _random.NextDouble();
            var phone = ph < 0.55 ? Reformat(p.Phone!, _random) : ph < 0.75 ? null : Phone();
            how.Add(phone is null ? "no phone" : ph < 0.55 ? $"phone as {phone}" : "other phone");
            var a = _random.NextDouble();
            var address = a < 0.5 ? Abbreviate(p.Address!, _random) : a < 0.7 ? null : p.Address;
            how.Add(address is null ? "no address" : a < 0.5 ? $"address as {address.Line1}, {address.Postcode}" : "same address");
            if (email != p.Email && !(ph < 0.55) && address is null)
            {
                phone = Reformat(p.Phone!, _random);
                how.Add($"(then phone as {phone})");
            }
            return (new PersonDetails(given, p.FamilyName, dob, email, phone, address), string.Join(", ", how));
        }

        /// <summary>A referral through the public form about the victim's family, as someone who knows them would write it.</summary>
        private ScenarioReferral Public(string label, int h, DateTimeOffset at, ScenarioArea area, ScenarioCase @case, PersonDetails referrer, string how,
            string relationship, string source, string concern)
        {
            var (carers, children) = FamilyAsWritten(@case);
            var submission = new ReferralSubmission(area.CouncilId, children, carers, new ReferrerDetails(false, referrer, relationship, source, null, null), concern, false, ReferralDoors.Public);
            return new ScenarioReferral(label, h, at, submission, @case, how, "public");
        }

        /// <summary>The victim's family as a referrer who knows them writes it: the children by name (sometimes with dates of birth), usually the mother and her address.</summary>
        private (List<CarerDetails> Carers, List<PersonDetails> Children) FamilyAsWritten(ScenarioCase @case)
        {
            var withDob = _random.Next(10) < 6;
            var children = @case.Opened.Household.Select(c => new PersonDetails(c.GivenName, c.FamilyName, withDob ? c.DateOfBirth : null, null, null, null)).ToList();
            var carers = new List<CarerDetails>();
            if (_random.Next(10) < 8)
            {
                var v = @case.Victim;
                carers.Add(new CarerDetails(new PersonDetails(v.GivenName, v.FamilyName, null, null, _random.Next(2) == 0 ? v.Phone : null,
                    _random.Next(2) == 0 ? Abbreviate(v.Address!, _random) : v.Address), "mother"));
            }
            return (carers, children);
        }

        /// <summary>A professional's referral: a teacher, GP, health visitor or school nurse through the professional form, or a police officer through the force's account.</summary>
        private ScenarioReferral Professional(string label, int h, DateTimeOffset at, ScenarioArea area, ScenarioCase? @case, List<PersonDetails> carers, List<PersonDetails> children,
            PersonDetails? who = null, bool agencyDoor = true)
        {
            var person = who ?? RandomAdult();
            var concern = Pick(GenuineConcerns);
            var carerList = carers.Select(c => new CarerDetails(c with { DateOfBirth = _random.Next(2) == 0 ? c.DateOfBirth : null }, _random.Next(4) == 0 ? "carer" : "mother")).ToList();
            if (agencyDoor && _random.Next(5) == 0)
            {
                // A police officer, through the force's account (the "agency" door).
                var officer = new PersonDetails($"{person.GivenName}", person.FamilyName, null, Email(person.GivenName!, person.FamilyName!, area.PoliceId + ".example"), null, null);
                var submission = new ReferralSubmission(area.CouncilId, children, carerList,
                    new ReferrerDetails(false, officer, "police officer", "first-hand", area.PoliceId, area.PoliceName), concern, false, ReferralDoors.Agency);
                return new ScenarioReferral(label, h, at, submission, @case, $"police officer {officer.DisplayName}", $"user:officer@{area.PoliceId}.example");
            }
            var (role, relationship, domain) = Pick(Professions);
            var professional = new PersonDetails(person.GivenName, person.FamilyName, null, Email(person.GivenName!, person.FamilyName!, domain), Phone(), null);
            var sub = new ReferralSubmission(area.CouncilId, children, carerList,
                new ReferrerDetails(false, professional, relationship, "first-hand", null, null), concern, false, ReferralDoors.Professional);
            return new ScenarioReferral(label, h, at, sub, @case, $"{role} {professional.DisplayName}", "professional-form");
        }
    }
}
