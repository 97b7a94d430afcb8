using System.Text;

namespace Threshold.Matching.Normalisation;

/// <summary>The primary and alternate Double Metaphone keys of a word.</summary>
public readonly record struct PhoneticKey(string Primary, string Alternate)
{
    /// <summary>True when any key of one equals any key of the other (and neither is empty).</summary>
    public bool Matches(PhoneticKey other) =>
        Primary.Length > 0 && other.Primary.Length > 0 &&
        (Primary == other.Primary || Primary == other.Alternate || Alternate == other.Primary || Alternate == other.Alternate);
}

/// <summary>
/// Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000), written here after the
/// rules of his published algorithm (as also followed by Apache Commons Codec). Keys are four
/// characters; '0' stands for "th".
/// </summary>
public static class DoubleMetaphone
{
    private const int MaxLength = 4;

    public static PhoneticKey Encode(string? word)
    {
        if (string.IsNullOrWhiteSpace(word))
        {
            return new PhoneticKey("", "");
        }

        var value = word.Trim().ToUpperInvariant();
        var r = new Result();
        var slavoGermanic = value.Contains('W', StringComparison.Ordinal) || value.Contains('K', StringComparison.Ordinal)
            || value.Contains("CZ", StringComparison.Ordinal) || value.Contains("WITZ", StringComparison.Ordinal);
        var index = At(value, 0, 2, "GN", "KN", "PN", "WR", "PS") ? 1 : 0;
        while (!r.Complete && index <= value.Length - 1)
        {
            switch (value[index])
            {
                case 'A' or 'E' or 'I' or 'O' or 'U' or 'Y':
                    if (index == 0)
                    {
                        r.Add('A');
                    }

                    index++;
                    break;
                case 'B':
                    r.Add('P');
                    index = Ch(value, index + 1) == 'B' ? index + 2 : index + 1;
                    break;
                case 'Ç':
                    r.Add('S');
                    index++;
                    break;
                case 'C':
                    index = HandleC(value, r, index);
                    break;
                case 'D':
                    index = HandleD(value, r, index);
                    break;
                case 'F':
                    r.Add('F');
                    index = Ch(value, index + 1) == 'F' ? index + 2 : index + 1;
                    break;
                case 'G':
                    index = HandleG(value, r, index, slavoGermanic);
                    break;
                case 'H':
                    if ((index == 0 || IsVowel(Ch(value, index - 1))) && IsVowel(Ch(value, index + 1)))
                    {
                        r.Add('H');
                        index += 2;
                    }
                    else
                    {
                        index++;
                    }

                    break;
                case 'J':
                    index = HandleJ(value, r, index, slavoGermanic);
                    break;
                case 'K':
                    r.Add('K');
                    index = Ch(value, index + 1) == 'K' ? index + 2 : index + 1;
                    break;
                case 'L':
                    if (Ch(value, index + 1) == 'L')
                    {
                        if (ConditionL0(value, index))
                        {
                            r.AddPrimary('L');
                        }
                        else
                        {
                            r.Add('L');
                        }

                        index += 2;
                    }
                    else
                    {
                        r.Add('L');
                        index++;
                    }

                    break;
                case 'M':
                    r.Add('M');
                    index = ConditionM0(value, index) ? index + 2 : index + 1;
                    break;
                case 'N':
                    r.Add('N');
                    index = Ch(value, index + 1) == 'N' ? index + 2 : index + 1;
                    break;
                case 'Ñ':
                    r.Add('N');
                    index++;
                    break;
                case 'P':
                    if (Ch(value, index + 1) == 'H')
                    {
                        r.Add('F');
                        index += 2;
                    }
                    else
                    {
                        r.Add('P');
                        index = At(value, index + 1, 1, "P", "B") ? index + 2 : index + 1;
                    }

                    break;
                case 'Q':
                    r.Add('K');
                    index = Ch(value, index + 1) == 'Q' ? index + 2 : index + 1;
                    break;
                case 'R':
                    if (index == value.Length - 1 && !slavoGermanic && At(value, index - 2, 2, "IE") && !At(value, index - 4, 2, "ME", "MA"))
                    {
                        r.AddAlternate('R');
                    }
                    else
                    {
                        r.Add('R');
                    }

                    index = Ch(value, index + 1) == 'R' ? index + 2 : index + 1;
                    break;
                case 'S':
                    index = HandleS(value, r, index, slavoGermanic);
                    break;
                case 'T':
                    index = HandleT(value, r, index);
                    break;
                case 'V':
                    r.Add('F');
                    index = Ch(value, index + 1) == 'V' ? index + 2 : index + 1;
                    break;
                case 'W':
                    index = HandleW(value, r, index);
                    break;
                case 'X':
                    index = HandleX(value, r, index);
                    break;
                case 'Z':
                    index = HandleZ(value, r, index, slavoGermanic);
                    break;
                default:
                    index++;
                    break;
            }
        }

        return new PhoneticKey(r.Primary.ToString(), r.Alternate.ToString());
    }

    private static int HandleC(string value, Result r, int index)
    {
        if (ConditionC0(value, index))
        {
            r.Add('K');
            return index + 2;
        }

        if (index == 0 && At(value, index, 6, "CAESAR"))
        {
            r.Add('S');
            return index + 2;
        }

        if (At(value, index, 2, "CH"))
        {
            return HandleCh(value, r, index);
        }

        if (At(value, index, 2, "CZ") && !At(value, index - 2, 4, "WICZ"))
        {
            r.Add('S', 'X');
            return index + 2;
        }

        if (At(value, index + 1, 3, "CIA"))
        {
            r.Add('X');
            return index + 3;
        }

        if (At(value, index, 2, "CC") && !(index == 1 && Ch(value, 0) == 'M'))
        {
            if (At(value, index + 2, 1, "I", "E", "H") && !At(value, index + 2, 2, "HU"))
            {
                if ((index == 1 && Ch(value, index - 1) == 'A') || At(value, index - 1, 5, "UCCEE", "UCCES"))
                {
                    r.Add("KS");
                }
                else
                {
                    r.Add('X');
                }

                return index + 3;
            }

            r.Add('K');
            return index + 2;
        }

        if (At(value, index, 2, "CK", "CG", "CQ"))
        {
            r.Add('K');
            return index + 2;
        }

        if (At(value, index, 2, "CI", "CE", "CY"))
        {
            if (At(value, index, 3, "CIO", "CIE", "CIA"))
            {
                r.Add('S', 'X');
            }
            else
            {
                r.Add('S');
            }

            return index + 2;
        }

        r.Add('K');
        if (At(value, index + 1, 2, " C", " Q", " G"))
        {
            return index + 3;
        }

        if (At(value, index + 1, 1, "C", "K", "Q") && !At(value, index + 1, 2, "CE", "CI"))
        {
            return index + 2;
        }

        return index + 1;
    }

    private static int HandleCh(string value, Result r, int index)
    {
        if (index > 0 && At(value, index, 4, "CHAE"))
        {
            r.Add('K', 'X');
            return index + 2;
        }

        if (ConditionCh0(value, index) || ConditionCh1(value, index))
        {
            r.Add('K');
            return index + 2;
        }

        if (index > 0)
        {
            if (At(value, 0, 2, "MC"))
            {
                r.Add('K');
            }
            else
            {
                r.Add('X', 'K');
            }
        }
        else
        {
            r.Add('X');
        }

        return index + 2;
    }

    private static int HandleD(string value, Result r, int index)
    {
        if (At(value, index, 2, "DG"))
        {
            if (At(value, index + 2, 1, "I", "E", "Y"))
            {
                r.Add('J');
                return index + 3;
            }

            r.Add("TK");
            return index + 2;
        }

        r.Add('T');
        return At(value, index, 2, "DT", "DD") ? index + 2 : index + 1;
    }

    private static int HandleG(string value, Result r, int index, bool slavoGermanic)
    {
        var next = Ch(value, index + 1);
        if (next == 'H')
        {
            return HandleGh(value, r, index);
        }

        if (next == 'N')
        {
            if (index == 1 && IsVowel(Ch(value, 0)) && !slavoGermanic)
            {
                r.Add("KN", "N");
            }
            else if (!At(value, index + 2, 2, "EY") && Ch(value, index + 1) != 'Y' && !slavoGermanic)
            {
                r.Add("N", "KN");
            }
            else
            {
                r.Add("KN");
            }

            return index + 2;
        }

        if (At(value, index + 1, 2, "LI") && !slavoGermanic)
        {
            r.Add("KL", "L");
            return index + 2;
        }

        if (index == 0 && (next == 'Y' || At(value, index + 1, 2, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER")))
        {
            r.Add('K', 'J');
            return index + 2;
        }

        if ((At(value, index + 1, 2, "ER") || next == 'Y') && !At(value, 0, 6, "DANGER", "RANGER", "MANGER")
            && !At(value, index - 1, 1, "E", "I") && !At(value, index - 1, 3, "RGY", "OGY"))
        {
            r.Add('K', 'J');
            return index + 2;
        }

        if (At(value, index + 1, 1, "E", "I", "Y") || At(value, index - 1, 4, "AGGI", "OGGI"))
        {
            if (At(value, 0, 4, "VAN ", "VON ") || At(value, 0, 3, "SCH") || At(value, index + 1, 2, "ET"))
            {
                r.Add('K');
            }
            else if (At(value, index + 1, 3, "IER"))
            {
                r.Add('J');
            }
            else
            {
                r.Add('J', 'K');
            }

            return index + 2;
        }

        r.Add('K');
        return next == 'G' ? index + 2 : index + 1;
    }

    private static int HandleGh(string value, Result r, int index)
    {
        if (index > 0 && !IsVowel(Ch(value, index - 1)))
        {
            r.Add('K');
            return index + 2;
        }

        if (index == 0)
        {
            r.Add(Ch(value, index + 2) == 'I' ? 'J' : 'K');
            return index + 2;
        }

        if ((index > 1 && At(value, index - 2, 1, "B", "H", "D")) || (index > 2 && At(value, index - 3, 1, "B", "H", "D"))
            || (index > 3 && At(value, index - 4, 1, "B", "H")))
        {
            return index + 2;
        }

        if (index > 2 && Ch(value, index - 1) == 'U' && At(value, index - 3, 1, "C", "G", "L", "R", "T"))
        {
            r.Add('F');
        }
        else if (index > 0 && Ch(value, index - 1) != 'I')
        {
            r.Add('K');
        }

        return index + 2;
    }

    private static int HandleJ(string value, Result r, int index, bool slavoGermanic)
    {
        if (At(value, index, 4, "JOSE") || At(value, 0, 4, "SAN "))
        {
            if ((index == 0 && Ch(value, index + 4) == ' ') || value.Length == 4 || At(value, 0, 4, "SAN "))
            {
                r.Add('H');
            }
            else
            {
                r.Add('J', 'H');
            }

            return index + 1;
        }

        if (index == 0 && !At(value, index, 4, "JOSE"))
        {
            r.Add('J', 'A');
        }
        else if (IsVowel(Ch(value, index - 1)) && !slavoGermanic && (Ch(value, index + 1) == 'A' || Ch(value, index + 1) == 'O'))
        {
            r.Add('J', 'H');
        }
        else if (index == value.Length - 1)
        {
            r.Add('J', ' ');
        }
        else if (!At(value, index + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !At(value, index - 1, 1, "S", "K", "L"))
        {
            r.Add('J');
        }

        return Ch(value, index + 1) == 'J' ? index + 2 : index + 1;
    }

    private static int HandleS(string value, Result r, int index, bool slavoGermanic)
    {
        if (At(value, index - 1, 3, "ISL", "YSL"))
        {
            return index + 1;
        }

        if (index == 0 && At(value, index, 5, "SUGAR"))
        {
            r.Add('X', 'S');
            return index + 1;
        }

        if (At(value, index, 2, "SH"))
        {
            r.Add(At(value, index + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") ? 'S' : 'X');
            return index + 2;
        }

        if (At(value, index, 3, "SIO", "SIA") || At(value, index, 4, "SIAN"))
        {
            if (slavoGermanic)
            {
                r.Add('S');
            }
            else
            {
                r.Add('S', 'X');
            }

            return index + 3;
        }

        if ((index == 0 && At(value, index + 1, 1, "M", "N", "L", "W")) || At(value, index + 1, 1, "Z"))
        {
            r.Add('S', 'X');
            return At(value, index + 1, 1, "Z") ? index + 2 : index + 1;
        }

        if (At(value, index, 2, "SC"))
        {
            if (Ch(value, index + 2) == 'H')
            {
                if (At(value, index + 3, 2, "OO", "ER", "EN", "UY", "ED", "EM"))
                {
                    if (At(value, index + 3, 2, "ER", "EN"))
                    {
                        r.Add("X", "SK");
                    }
                    else
                    {
                        r.Add("SK");
                    }
                }
                else if (index == 0 && !IsVowel(Ch(value, 3)) && Ch(value, 3) != 'W')
                {
                    r.Add('X', 'S');
                }
                else
                {
                    r.Add('X');
                }
            }
            else if (At(value, index + 2, 1, "I", "E", "Y"))
            {
                r.Add('S');
            }
            else
            {
                r.Add("SK");
            }

            return index + 3;
        }

        if (index == value.Length - 1 && At(value, index - 2, 2, "AI", "OI"))
        {
            r.AddAlternate('S');
        }
        else
        {
            r.Add('S');
        }

        return At(value, index + 1, 1, "S", "Z") ? index + 2 : index + 1;
    }

    private static int HandleT(string value, Result r, int index)
    {
        if (At(value, index, 4, "TION") || At(value, index, 3, "TIA", "TCH"))
        {
            r.Add('X');
            return index + 3;
        }

        if (At(value, index, 2, "TH") || At(value, index, 3, "TTH"))
        {
            if (At(value, index + 2, 2, "OM", "AM") || At(value, 0, 4, "VAN ", "VON ") || At(value, 0, 3, "SCH"))
            {
                r.Add('T');
            }
            else
            {
                r.Add('0', 'T');
            }

            return index + 2;
        }

        r.Add('T');
        return At(value, index + 1, 1, "T", "D") ? index + 2 : index + 1;
    }

    private static int HandleW(string value, Result r, int index)
    {
        if (At(value, index, 2, "WR"))
        {
            r.Add('R');
            return index + 2;
        }

        if (index == 0 && (IsVowel(Ch(value, index + 1)) || At(value, index, 2, "WH")))
        {
            if (IsVowel(Ch(value, index + 1)))
            {
                r.Add('A', 'F');
            }
            else
            {
                r.Add('A');
            }

            return index + 1;
        }

        if ((index == value.Length - 1 && IsVowel(Ch(value, index - 1))) || At(value, index - 1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY")
            || At(value, 0, 3, "SCH"))
        {
            r.AddAlternate('F');
            return index + 1;
        }

        if (At(value, index, 4, "WICZ", "WITZ"))
        {
            r.Add("TS", "FX");
            return index + 4;
        }

        return index + 1;
    }

    private static int HandleX(string value, Result r, int index)
    {
        if (index == 0)
        {
            r.Add('S');
            return index + 1;
        }

        if (!(index == value.Length - 1 && (At(value, index - 3, 3, "IAU", "EAU") || At(value, index - 2, 2, "AU", "OU"))))
        {
            r.Add("KS");
        }

        return At(value, index + 1, 1, "C", "X") ? index + 2 : index + 1;
    }

    private static int HandleZ(string value, Result r, int index, bool slavoGermanic)
    {
        if (Ch(value, index + 1) == 'H')
        {
            r.Add('J');
            return index + 2;
        }

        if (At(value, index + 1, 2, "ZO", "ZI", "ZA") || (slavoGermanic && index > 0 && Ch(value, index - 1) != 'T'))
        {
            r.Add("S", "TS");
        }
        else
        {
            r.Add('S');
        }

        return Ch(value, index + 1) == 'Z' ? index + 2 : index + 1;
    }

    private static bool ConditionC0(string value, int index)
    {
        if (At(value, index, 4, "CHIA"))
        {
            return true;
        }

        if (index <= 1 || IsVowel(Ch(value, index - 2)) || !At(value, index - 1, 3, "ACH"))
        {
            return false;
        }

        var c = Ch(value, index + 2);
        return (c != 'I' && c != 'E') || At(value, index - 2, 6, "BACHER", "MACHER");
    }

    private static bool ConditionCh0(string value, int index) =>
        index == 0
        && (At(value, index + 1, 5, "HARAC", "HARIS") || At(value, index + 1, 3, "HOR", "HYM", "HIA", "HEM"))
        && !At(value, 0, 5, "CHORE");

    private static bool ConditionCh1(string value, int index) =>
        At(value, 0, 4, "VAN ", "VON ") || At(value, 0, 3, "SCH")
        || At(value, index - 2, 6, "ORCHES", "ARCHIT", "ORCHID")
        || At(value, index + 2, 1, "T", "S")
        || ((At(value, index - 1, 1, "A", "O", "U", "E") || index == 0)
            && (At(value, index + 2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " ") || index + 1 == value.Length - 1));

    private static bool ConditionL0(string value, int index)
    {
        if (index == value.Length - 3 && At(value, index - 1, 4, "ILLO", "ILLA", "ALLE"))
        {
            return true;
        }

        return (At(value, value.Length - 2, 2, "AS", "OS") || At(value, value.Length - 1, 1, "A", "O"))
            && At(value, index - 1, 4, "ALLE");
    }

    private static bool ConditionM0(string value, int index) =>
        Ch(value, index + 1) == 'M'
        || (At(value, index - 1, 3, "UMB") && (index + 1 == value.Length - 1 || At(value, index + 2, 2, "ER")));

    private static bool IsVowel(char c) => c is 'A' or 'E' or 'I' or 'O' or 'U' or 'Y';

    private static char Ch(string value, int index) => index < 0 || index >= value.Length ? '\0' : value[index];

    private static bool At(string value, int start, int length, params ReadOnlySpan<string> criteria)
    {
        if (start < 0 || start + length > value.Length)
        {
            return false;
        }

        var slice = value.AsSpan(start, length);
        foreach (var c in criteria)
        {
            if (slice.SequenceEqual(c))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Result
    {
        public StringBuilder Primary { get; } = new(MaxLength);
        public StringBuilder Alternate { get; } = new(MaxLength);

        public bool Complete => Primary.Length >= MaxLength && Alternate.Length >= MaxLength;

        public void Add(char c)
        {
            AddPrimary(c);
            AddAlternate(c);
        }

        public void Add(char primary, char alternate)
        {
            AddPrimary(primary);
            AddAlternate(alternate);
        }

        public void Add(string s) => Add(s, s);

        public void Add(string primary, string alternate)
        {
            Append(Primary, primary);
            Append(Alternate, alternate);
        }

        public void AddPrimary(char c)
        {
            if (Primary.Length < MaxLength)
            {
                Primary.Append(c);
            }
        }

        public void AddAlternate(char c)
        {
            if (Alternate.Length < MaxLength)
            {
                Alternate.Append(c);
            }
        }

        private static void Append(StringBuilder builder, string s)
        {
            var room = MaxLength - builder.Length;
            if (room > 0)
            {
                builder.Append(s.AsSpan(0, Math.Min(room, s.Length)));
            }
        }
    }
}
