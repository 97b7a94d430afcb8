using System.Globalization;
using System.Text;
using Threshold.Matching.Linking;

namespace Threshold.Matching.Csv;

/// <summary>A problem with one row that did not stop the read.</summary>
/// <param name="Line">1-based line number in the input.</param>
/// <param name="Message">What was wrong and what was done about it.</param>
public sealed record CsvWarning(long Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

/// <summary>An input that cannot be read as person records at all (empty, or no header).</summary>
public sealed class CsvFormatException : Exception
{
    public CsvFormatException(string message) : base(message)
    {
    }

    public CsvFormatException(string message, Exception inner) : base(message, inner)
    {
    }

    public CsvFormatException()
    {
    }
}

/// <summary>Options for <see cref="PersonCsv.Read"/>.</summary>
public sealed record CsvReadOptions
{
    /// <summary>The id column's name when it is not <c>rec_id</c> (or <c>id</c>).</summary>
    public string? IdColumn { get; init; }
    /// <summary>Receives per-row warnings (ragged rows, duplicate ids, bytes that were not UTF-8).</summary>
    public Action<CsvWarning>? Warning { get; init; }
}

/// <summary>
/// Reads person records from CSV text with a header and writes link results. No file access:
/// the caller opens the stream. Column names are matched case-insensitively with leading and
/// trailing spaces ignored; unknown columns are ignored and missing ones simply unused.
/// </summary>
public static class PersonCsv
{
    /// <summary>Recognised header names for each field, first the documented one.</summary>
    public static IReadOnlyDictionary<string, string[]> ColumnNames { get; } = new Dictionary<string, string[]>
    {
        ["id"] = ["rec_id", "id", "record_id"],
        ["given"] = ["given_name", "given_names", "first_name", "forename"],
        ["family"] = ["surname", "family_name", "last_name"],
        ["dob"] = ["date_of_birth", "dob", "birth_date"],
        ["number"] = ["street_number", "house_number"],
        ["line1"] = ["address_1", "address_line_1", "line1"],
        ["line2"] = ["address_2", "address_line_2", "line2"],
        ["town"] = ["suburb", "town", "city"],
        ["postcode"] = ["postcode", "post_code", "zip"],
        ["state"] = ["state", "county"],
        ["email"] = ["email", "email_address"],
        ["phone"] = ["phone", "telephone", "phone_number"],
        ["nationalId"] = ["soc_sec_id", "national_id"],
    };

    /// <summary>
    /// Streams records from <paramref name="reader"/>. Throws <see cref="CsvFormatException"/> for
    /// empty input or a first line that names no known column; reports ragged rows, duplicate ids
    /// (the later row is skipped) and replaced non-UTF-8 bytes through <see cref="CsvReadOptions.Warning"/>.
    /// </summary>
    public static IEnumerable<PersonRecord> Read(TextReader reader, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadIterator(reader, options ?? new CsvReadOptions());
    }

    private static IEnumerable<PersonRecord> ReadIterator(TextReader reader, CsvReadOptions options)
    {
        long line = 0;
        List<string>? header = null;
        while (header is null)
        {
            var text = reader.ReadLine();
            if (text is null)
            {
                throw new CsvFormatException("The input is empty: expected a header line naming columns such as rec_id, given_name, surname, date_of_birth.");
            }

            line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                header = SplitLine(text.TrimStart('\uFEFF'), reader, ref line);
            }
        }

        var columns = MapColumns(header, options.IdColumn);
        if (columns.Count == 0 || (columns.Count == 1 && columns.ContainsKey("id")))
        {
            throw new CsvFormatException(
                $"Line {line} is not a header: it names none of the known columns ({string.Join(", ", ColumnNames.Values.Select(v => v[0]))}).");
        }

        if (options.IdColumn is not null && !columns.ContainsKey("id"))
        {
            throw new CsvFormatException($"The id column '{options.IdColumn}' is not in the header.");
        }

        if (!columns.ContainsKey("id"))
        {
            options.Warning?.Invoke(new CsvWarning(line, "no rec_id column: records are named by their line number"));
        }

        // Ids seen so far, as 64-bit hashes rather than strings: a streamed file of millions of rows
        // costs about 20 bytes a row here, not the ids themselves (two different ids share a hash
        // with a chance of about n² / 2^65: 10^-6 at five million rows).
        var seen = new HashSet<ulong>();
        while (reader.ReadLine() is { } text)
        {
            line++;
            var rowLine = line;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var fields = SplitLine(text, reader, ref line);
            if (fields.Count != header.Count)
            {
                options.Warning?.Invoke(new CsvWarning(rowLine, fields.Count < header.Count
                    ? $"{fields.Count} fields where the header has {header.Count}; the missing ones are treated as blank"
                    : $"{fields.Count} fields where the header has {header.Count}; the extra ones are ignored"));
            }

            if (text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                options.Warning?.Invoke(new CsvWarning(rowLine, "bytes that are not UTF-8 were replaced with '\uFFFD'"));
            }

            string? Get(string key) =>
                columns.TryGetValue(key, out var i) && i < fields.Count && fields[i].Length > 0 ? fields[i] : null;

            var id = Get("id") ?? (columns.ContainsKey("id") ? null : string.Create(CultureInfo.InvariantCulture, $"line-{rowLine}"));
            if (id is null)
            {
                options.Warning?.Invoke(new CsvWarning(rowLine, "the id is blank; row skipped"));
                continue;
            }

            if (!seen.Add(IdHash(id)))
            {
                options.Warning?.Invoke(new CsvWarning(rowLine, $"duplicate id '{id}'; row skipped (the first row with this id is kept)"));
                continue;
            }

            yield return new PersonRecord
            {
                Id = id,
                GivenName = Get("given"),
                FamilyName = Get("family"),
                DateOfBirth = Get("dob"),
                StreetNumber = Get("number"),
                AddressLine1 = Get("line1"),
                AddressLine2 = Get("line2"),
                Town = Get("town"),
                Postcode = Get("postcode"),
                State = Get("state"),
                Email = Get("email"),
                Phone = Get("phone"),
                NationalId = Get("nationalId"),
            };
        }
    }

    /// <summary>Two independent 32-bit hashes of an id (the runtime's randomised one and FNV-1a) as one 64-bit value.</summary>
    private static ulong IdHash(string id)
    {
        var fnv = 2166136261u;
        foreach (var c in id)
        {
            fnv = (fnv ^ c) * 16777619u;
        }

        return ((ulong)(uint)StringComparer.Ordinal.GetHashCode(id) << 32) | fnv;
    }

    /// <summary>Writes <c>left_id,right_id,match_probability</c> and one row per pair.</summary>
    public static void WritePairs(TextWriter writer, IEnumerable<LinkedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pairs);
        writer.WriteLine("left_id,right_id,match_probability");
        foreach (var pair in pairs)
        {
            writer.Write(Escape(pair.LeftId));
            writer.Write(',');
            writer.Write(Escape(pair.RightId));
            writer.Write(',');
            writer.WriteLine(pair.MatchProbability.ToString("0.000000", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static Dictionary<string, int> MapColumns(List<string> header, string? idColumn)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().ToLowerInvariant();
            if (idColumn is not null && string.Equals(name, idColumn.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                map.TryAdd("id", i);
                continue;
            }

            foreach (var (key, names) in ColumnNames)
            {
                if (idColumn is not null && key == "id")
                {
                    continue;
                }

                if (names.Contains(name))
                {
                    map.TryAdd(key, i);
                }
            }
        }

        return map;
    }

    /// <summary>Splits one CSV record (RFC 4180 quoting; a quoted field may span lines), trimming spaces around fields.</summary>
    internal static List<string> SplitLine(string text, TextReader reader, ref long line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        var i = 0;
        while (true)
        {
            if (i >= text.Length)
            {
                if (quoted)
                {
                    var next = reader.ReadLine();
                    if (next is not null)
                    {
                        line++;
                        field.Append('\n');
                        text = next;
                        i = 0;
                        continue;
                    }
                }

                break;
            }

            var c = text[i++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(Finish(field, wasQuoted));
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
                wasQuoted = true;
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(Finish(field, wasQuoted));
        return fields;
    }

    private static string Finish(StringBuilder field, bool wasQuoted) => wasQuoted ? field.ToString() : field.ToString().Trim();
}
