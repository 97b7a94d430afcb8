using System.Globalization;
using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Generation;

/// <summary>Settings for a generated population.</summary>
public sealed record PopulationOptions
{
    public int Households { get; init; } = 1000;
    public int Seed { get; init; } = 7;
    /// <summary>Chance that a person is in the left-hand (and, separately, the right-hand) set.</summary>
    public double Coverage { get; init; } = 0.8;
    /// <summary>Chance a household with children has twins.</summary>
    public double TwinRate { get; init; } = 0.1;
    /// <summary>Chance a household has a parent and child of the same given name.</summary>
    public double NamesakeRate { get; init; } = 0.12;
}

/// <summary>A generated population: two agencies' records of overlapping people, with the true pairs.</summary>
public sealed record GeneratedPopulation(
    IReadOnlyList<PersonRecord> Left,
    IReadOnlyList<PersonRecord> Right,
    IReadOnlySet<(string LeftId, string RightId)> TruePairs);

/// <summary>
/// Generates UK-style test populations with ground truth, built around households — where real
/// matchers make false links: twins, a parent and child with one name at one address, relatives
/// sharing a phone number. The right-hand records carry the errors agencies see: nicknames, typos
/// (including a dropped first letter), given and family name swapped, date slips, moves, changed
/// email or phone, missing fields, and varied phone and date formats. All names are fictional
/// combinations; phone numbers are from Ofcom's ranges reserved for drama; email domains are
/// example.* (RFC 2606).
/// </summary>
public static class HouseholdGenerator
{
    private static readonly string[] Male =
    [
        "oliver", "george", "harry", "jack", "jacob", "noah", "charlie", "thomas", "oscar", "william", "james", "henry",
        "leo", "alfie", "joshua", "freddie", "archie", "ethan", "isaac", "alexander", "joseph", "edward", "samuel", "max",
        "daniel", "arthur", "lucas", "mohammed", "logan", "theo", "harrison", "benjamin", "mason", "sebastian", "finley",
        "adam", "dylan", "zachary", "riley", "teddy", "david", "toby", "luke", "elliot", "matthew", "robert", "stephen",
        "gareth", "stuart", "michael", "richard", "andrew", "peter", "paul", "mark", "simon", "kenneth", "terence", "barry",
        "darren", "gary", "christopher", "anthony", "patrick", "nicholas", "jonathan", "timothy", "gregory", "raymond",
    ];

    private static readonly string[] Female =
    [
        "olivia", "amelia", "isla", "ava", "emily", "isabella", "mia", "poppy", "ella", "lily", "sophia", "grace",
        "evie", "charlotte", "isabelle", "freya", "daisy", "sophie", "alice", "jessica", "florence", "ruby", "chloe",
        "matilda", "phoebe", "scarlett", "lucy", "elizabeth", "sarah", "margaret", "susan", "catherine", "rebecca",
        "victoria", "jennifer", "deborah", "patricia", "barbara", "helen", "rachel", "emma", "hannah", "samantha",
        "louise", "joanne", "nicola", "caroline", "amanda", "gillian", "julie", "priya", "aisha", "zara", "niamh",
        "siobhan", "megan", "bethan", "rhian", "kerry", "stephanie", "abigail", "eleanor", "harriet", "jacqueline",
    ];

    private static readonly string[] Surnames =
    [
        "smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies", "robinson", "wright", "thompson",
        "evans", "walker", "white", "roberts", "green", "hall", "wood", "jackson", "clarke", "patel", "khan", "lewis",
        "james", "phillips", "mason", "mitchell", "rose", "davis", "rodriguez", "cox", "alexander", "morgan", "hughes",
        "edwards", "hill", "moore", "clark", "harrison", "scott", "young", "morris", "harris", "martin", "cooper", "ward",
        "turner", "parker", "collins", "bennett", "cook", "murphy", "bailey", "richardson", "carter", "shaw", "kelly",
        "fletcher", "hussain", "begum", "ali", "ahmed", "okafor", "nowak", "kowalski", "oconnor", "macdonald", "campbell",
        "stewart", "reid", "murray", "watson", "kaur", "singh", "chen", "nguyen", "lloyd", "price", "griffiths", "owen",
        "ashworth", "pemberton", "whitfield", "hargreaves", "blackwood", "fairbairn", "threlfall", "ormerod", "entwistle",
        "smith-jones", "lloyd-davies", "hale", "ferris", "quayle", "tunstall", "sowerby", "birtwistle", "haworth",
    ];

    private static readonly string[] StreetStems =
    [
        "acacia", "mill", "church", "station", "victoria", "park", "oak", "elm", "beech", "willow", "chestnut", "rowan",
        "hawthorn", "meadow", "orchard", "kingfisher", "heron", "lark", "wren", "riverside", "canal", "quarry", "chapel",
        "school", "market", "bridge", "brook", "grange", "manor", "abbey", "priory", "foundry", "weavers", "tanners",
        "spinners", "ropewalk", "harbour", "lighthouse", "beacon", "windmill", "cherry", "laurel", "holly", "ivy", "maple",
    ];

    private static readonly string[] StreetTypes = ["road", "street", "lane", "close", "avenue", "drive", "crescent", "way", "grove", "terrace", "gardens", "court"];

    private static readonly (string Town, string Area)[] Towns =
    [
        ("riverside", "RB"), ("harbourside", "HB"), ("ashford vale", "AV"), ("millbrook", "MB"), ("northcote", "NC"),
        ("kingsmere", "KM"), ("eastleigh moor", "EM"), ("westbury marsh", "WM"), ("thornbury", "TB"), ("oakhampton", "OK"),
        ("bramley cross", "BX"), ("fenwick", "FW"), ("greystone", "GY"), ("larkhill", "LH"), ("stanmoor", "SQ"),
    ];

    // Ofcom numbers reserved for drama (never allocated): prefix and first of 1,000 numbers.
    private static readonly string[] PhoneRanges =
    [
        "07700 900", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
        "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "020 7946 0", "0191 498 0", "029 2018 0", "01632 960",
    ];

    private static readonly string[] EmailDomains = ["example.org", "example.com", "example.net"];

    /// <summary>Generates two overlapping record sets with the true pairs between them.</summary>
    public static GeneratedPopulation Generate(PopulationOptions? options = null)
    {
        options ??= new PopulationOptions();
        var random = new Random(options.Seed);
        var left = new List<PersonRecord>();
        var right = new List<PersonRecord>();
        var truth = new HashSet<(string, string)>();
        var phoneCounter = 0;
        var personCounter = 0;
        for (var h = 0; h < options.Households; h++)
        {
            foreach (var person in Household(random, options, ref phoneCounter, ref personCounter))
            {
                var inLeft = random.NextDouble() < options.Coverage;
                var inRight = random.NextDouble() < options.Coverage;
                var leftRecord = person with { Id = "L" + person.Id };
                var rightRecord = Corrupt(person, random) with { Id = "R" + person.Id };
                if (inLeft)
                {
                    left.Add(Format(leftRecord, random));
                }

                if (inRight)
                {
                    right.Add(Format(rightRecord, random));
                }

                if (inLeft && inRight)
                {
                    truth.Add((leftRecord.Id, rightRecord.Id));
                }
            }
        }

        Shuffle(left, random);
        Shuffle(right, random);
        return new GeneratedPopulation(left, right, truth);
    }

    /// <summary>A stream of clean people in households (for large indexes); ids are "P1", "P2", ….</summary>
    public static IEnumerable<PersonRecord> People(int count, int seed = 11)
    {
        var random = new Random(seed);
        var options = new PopulationOptions();
        var phoneCounter = 0;
        var personCounter = 0;
        var produced = 0;
        while (produced < count)
        {
            foreach (var person in Household(random, options, ref phoneCounter, ref personCounter))
            {
                if (produced++ >= count)
                {
                    yield break;
                }

                yield return person;
            }
        }
    }

    /// <summary>A copy of <paramref name="person"/> with the errors one agency's record of them might carry.</summary>
    public static PersonRecord Corrupt(PersonRecord person, Random random)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(random);
        var p = person;
        if (random.NextDouble() < 0.15 && p.GivenName is { } given)
        {
            var nickname = NicknameOf(given, random);
            if (nickname is not null)
            {
                p = p with { GivenName = nickname };
            }
        }

        if (random.NextDouble() < 0.12)
        {
            p = p with { GivenName = Typo(p.GivenName, random) };
        }

        if (random.NextDouble() < 0.12)
        {
            p = p with { FamilyName = Typo(p.FamilyName, random) };
        }

        if (random.NextDouble() < 0.03)
        {
            p = p with { GivenName = p.FamilyName, FamilyName = p.GivenName };
        }

        if (random.NextDouble() < 0.08)
        {
            p = p with { DateOfBirth = DateSlip(p.DateOfBirth, random) };
        }

        if (random.NextDouble() < 0.08)
        {
            var moved = NewAddress(random);
            p = p with { StreetNumber = moved.Number, AddressLine1 = moved.Street, Town = moved.Town, Postcode = moved.Postcode };
        }
        else if (random.NextDouble() < 0.08)
        {
            p = p with { AddressLine1 = Typo(p.AddressLine1, random) };
        }

        if (random.NextDouble() < 0.15)
        {
            p = p with { Email = p.GivenName is null ? null : $"{Fold(p.GivenName)}{random.Next(10, 99)}@{EmailDomains[random.Next(EmailDomains.Length)]}" };
        }

        if (random.NextDouble() < 0.15)
        {
            p = p with { Phone = Phone(random.Next(16_000)) };
        }

        // Missing fields.
        if (random.NextDouble() < 0.08) { p = p with { DateOfBirth = null }; }
        if (random.NextDouble() < 0.1) { p = p with { Email = null }; }
        if (random.NextDouble() < 0.1) { p = p with { Phone = null }; }
        if (random.NextDouble() < 0.05) { p = p with { Postcode = null }; }
        if (random.NextDouble() < 0.05) { p = p with { StreetNumber = null }; }
        return p;
    }

    private static List<PersonRecord> Household(Random random, PopulationOptions options, ref int phoneCounter, ref int personCounter)
    {
        var surname = Surnames[random.Next(Surnames.Length)];
        var address = NewAddress(random);
        var landline = random.NextDouble() < 0.5 ? Phone(phoneCounter++) : null;
        var adults = random.NextDouble() < 0.35 ? 1 : 2;
        var children = random.NextDouble() < 0.45 ? 0 : random.Next(1, 4);
        var year = 2025;
        var members = new List<(string Given, DateOnly Birth, bool Adult)>();
        var firstAdultMale = random.NextDouble() < 0.5;
        for (var a = 0; a < adults; a++)
        {
            var male = a == 0 ? firstAdultMale : !firstAdultMale;
            members.Add((Pick(male ? Male : Female, random), RandomDate(random, year - 80, year - 25), true));
        }

        var parentAge = members.Min(m => m.Birth.Year);
        for (var c = 0; c < children; c++)
        {
            var male = random.NextDouble() < 0.5;
            members.Add((Pick(male ? Male : Female, random), RandomDate(random, Math.Max(parentAge + 18, year - 30), year - 1), false));
        }

        if (children > 0 && random.NextDouble() < options.TwinRate)
        {
            var child = members[^1];
            string twinName;
            do
            {
                twinName = Pick(random.NextDouble() < 0.5 ? Male : Female, random);
            }
            while (twinName == child.Given);
            members.Add((twinName, child.Birth, false));
        }

        if (children > 0 && random.NextDouble() < options.NamesakeRate)
        {
            // A child named after a parent (John Smith senior and junior at one address).
            var childIndex = adults;
            members[childIndex] = (members[0].Given, members[childIndex].Birth, false);
        }

        var result = new List<PersonRecord>(members.Count);
        foreach (var (given, birth, adult) in members)
        {
            var id = (++personCounter).ToString(CultureInfo.InvariantCulture);
            var mobile = adult || random.NextDouble() < 0.5 ? Phone(phoneCounter++) : null;
            result.Add(new PersonRecord
            {
                Id = "P" + id,
                GivenName = given,
                FamilyName = surname,
                DateOfBirth = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                StreetNumber = address.Number,
                AddressLine1 = address.Street,
                Town = address.Town,
                Postcode = address.Postcode,
                // Relatives share the landline; otherwise each has a mobile.
                Phone = landline is not null && random.NextDouble() < 0.6 ? landline : mobile ?? landline,
                Email = adult || random.NextDouble() < 0.3
                    ? $"{given}.{surname.Replace("-", "", StringComparison.Ordinal)}{(random.NextDouble() < 0.5 ? random.Next(1, 99).ToString(CultureInfo.InvariantCulture) : "")}@{EmailDomains[random.Next(EmailDomains.Length)]}"
                    : null,
            });
        }

        return result;
    }

    private static (string Number, string Street, string Town, string Postcode) NewAddress(Random random)
    {
        var (town, area) = Towns[random.Next(Towns.Length)];
        var street = $"{StreetStems[random.Next(StreetStems.Length)]} {StreetTypes[random.Next(StreetTypes.Length)]}";
        var district = random.Next(1, 30);
        var postcode = string.Create(CultureInfo.InvariantCulture,
            $"{area}{district} {random.Next(1, 10)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}");
        return (random.Next(1, 200).ToString(CultureInfo.InvariantCulture), street, town, postcode);
    }

    private static string Phone(int n)
    {
        var range = PhoneRanges[(n / 1000) % PhoneRanges.Length];
        var digits = (n % 1000).ToString("D3", CultureInfo.InvariantCulture);
        return range + digits;
    }

    private static DateOnly RandomDate(Random random, int fromYear, int toYear)
    {
        var start = new DateOnly(fromYear, 1, 1);
        var days = new DateOnly(Math.Max(fromYear, toYear), 12, 31).DayNumber - start.DayNumber;
        return start.AddDays(random.Next(days + 1));
    }

    private static string? DateSlip(string? iso, Random random)
    {
        if (iso is null || !DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return iso;
        }

        return random.Next(4) switch
        {
            0 => date.AddDays(random.NextDouble() < 0.5 ? 1 : -1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            1 when date.Day <= 12 => $"{date.Year:D4}-{date.Day:D2}-{date.Month:D2}",
            2 => date.AddYears(random.NextDouble() < 0.5 ? 1 : -1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => date.AddMonths(random.NextDouble() < 0.5 ? 1 : -1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    private static string? Typo(string? value, Random random)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 3)
        {
            return value;
        }

        var chars = value.ToCharArray().ToList();
        switch (random.Next(5))
        {
            case 0:
                chars.RemoveAt(0); // a dropped first letter
                break;
            case 1:
                chars.RemoveAt(random.Next(1, chars.Count));
                break;
            case 2:
                var i = random.Next(chars.Count - 1);
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                break;
            case 3:
                chars[random.Next(1, chars.Count)] = (char)('a' + random.Next(26));
                break;
            default:
                chars.Insert(random.Next(1, chars.Count), (char)('a' + random.Next(26)));
                break;
        }

        return new string(chars.ToArray());
    }

    private static string? NicknameOf(string given, Random random)
    {
        var groups = Nicknames.Default.GroupsOf(Fold(given));
        if (groups.Length == 0)
        {
            return null;
        }

        var options = NicknameRows.Value.Where(r => groups.Contains(r.Row) && r.Name != Fold(given)).Select(r => r.Name).ToList();
        return options.Count == 0 ? null : options[random.Next(options.Count)];
    }

    private static readonly Lazy<List<(int Row, string Name)>> NicknameRows = new(() =>
    {
        var names = Male.Concat(Female).Concat(["bob", "bill", "liz", "gaz", "stu", "kate", "maggie", "steve", "dave", "mike", "tony", "nick", "jim", "tom", "sam", "ted", "fred", "becky", "vicky", "jen", "debbie", "pat", "sue", "chris", "andy", "rob", "rich", "dan", "ben", "matt", "josh", "zach", "alex", "ellie", "abi", "jackie", "harry", "charlie", "ken", "tel", "baz", "daz", "greg", "ray", "tim", "pete", "si", "steph", "nikki", "louise", "lou", "helen", "nell", "gill", "jo", "rach", "sal", "sally", "cath", "kath"]);
        return names.Distinct().SelectMany(n => Nicknames.Default.GroupsOf(n).Select(g => (g, n))).ToList();
    });

    private static PersonRecord Format(PersonRecord p, Random random)
    {
        var date = p.DateOfBirth is { } iso && DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? random.Next(3) switch
            {
                0 => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                1 => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                _ => iso,
            }
            : p.DateOfBirth;
        var phone = p.Phone is { } ph && ph.StartsWith('0') && random.NextDouble() < 0.3 ? "+44 " + ph[1..] : p.Phone;
        var given = p.GivenName is { } g && random.NextDouble() < 0.5 ? Capitalise(g) : p.GivenName;
        var family = p.FamilyName is { } f && random.NextDouble() < 0.5 ? Capitalise(f) : p.FamilyName;
        return p with { DateOfBirth = date, Phone = phone, GivenName = given, FamilyName = family };
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Fold(string s) => TextNormaliser.Fold(s);

    private static string Pick(string[] names, Random random) => names[random.Next(names.Length)];

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
