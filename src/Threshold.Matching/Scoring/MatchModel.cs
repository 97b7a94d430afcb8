using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threshold.Matching.Scoring;

/// <summary>m and u probabilities of one field's comparison levels.</summary>
public sealed record FieldParameters
{
    public required MatchField Field { get; init; }
    public required IReadOnlyList<string> Levels { get; init; }
    /// <summary>P(level | same person).</summary>
    public required IReadOnlyList<double> M { get; init; }
    /// <summary>P(level | different persons).</summary>
    public required IReadOnlyList<double> U { get; init; }
    /// <summary>How much of the term-frequency adjustment applies on exact agreement (0 = none, 1 = all).</summary>
    public double TermFrequencyWeight { get; init; }

    /// <summary>log2(m/u) of a level: the evidence it gives, in bits.</summary>
    public double Weight(int level) => Math.Log2(M[level] / U[level]);
}

/// <summary>
/// A Fellegi–Sunter model: the prior probability that a candidate pair is a match, and per field
/// the m and u probability of each comparison level. Saved as versioned JSON.
/// </summary>
public sealed record MatchModel
{
    /// <summary>The JSON format version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public int Version { get; init; } = CurrentVersion;
    /// <summary>Prior probability that a pair found by blocking is the same person.</summary>
    public required double MatchPrior { get; init; }
    public required IReadOnlyList<FieldParameters> Fields { get; init; }
    /// <summary>
    /// Optional extra evidence (bits, negative) for the household patterns (see
    /// <see cref="MatchField.HouseholdPattern"/>) on top of what EM learned for them; 0 by
    /// default. A stated prior, not fitted, shown in every explanation where it applies.
    /// </summary>
    public double IdentityConflictPenalty { get; init; }
    /// <summary>How the model was made (for the reader of the file).</summary>
    public string? Provenance { get; init; }

    public FieldParameters this[MatchField field] => Fields.First(f => f.Field == field);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Save(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(ToJson());
    }

    /// <summary>Reads a model; throws <see cref="InvalidDataException"/> with a plain reason when it cannot be used.</summary>
    public static MatchModel FromJson(string json)
    {
        MatchModel? model;
        try
        {
            model = JsonSerializer.Deserialize<MatchModel>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The match model is not valid JSON: {e.Message}", e);
        }

        if (model is null)
        {
            throw new InvalidDataException("The match model file is empty.");
        }

        if (model.Version != CurrentVersion)
        {
            throw new InvalidDataException($"The match model is version {model.Version}; this build reads version {CurrentVersion}.");
        }

        if (!(model.MatchPrior > 0 && model.MatchPrior < 1))
        {
            throw new InvalidDataException("The match model's matchPrior must be a probability between 0 and 1 (exclusive).");
        }

        if (model.Fields is null || model.Fields.Any(f => f is null))
        {
            throw new InvalidDataException("The match model has no list of fields.");
        }

        foreach (var field in model.Fields)
        {
            var count = Comparisons.LevelCount(field.Field);
            if (field.M is null || field.U is null)
            {
                throw new InvalidDataException($"The match model's field {field.Field} has no m or u probabilities.");
            }

            if (field.M.Count != count || field.U.Count != count)
            {
                throw new InvalidDataException($"The match model's field {field.Field} has {field.M.Count} levels; this build has {count}.");
            }

            if (field.M.Concat(field.U).Any(p => !(p > 0 && p <= 1)))
            {
                throw new InvalidDataException($"The match model's field {field.Field} has an m or u value that is not a probability above 0.");
            }
        }

        var missing = Enum.GetValues<MatchField>().Where(f => model.Fields.Count(x => x.Field == f) != 1).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The match model must list each field once; not so for {string.Join(", ", missing)}.");
        }

        return model;
    }

    public static MatchModel Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return FromJson(reader.ReadToEnd());
    }

    /// <summary>
    /// A starting model with hand-set m and u values (used to seed EM, and usable before any data
    /// have been seen). u values assume a population of thousands.
    /// </summary>
    public static MatchModel Default()
    {
        var fields = new List<FieldParameters>();
        foreach (var field in Enum.GetValues<MatchField>())
        {
            var n = Comparisons.LevelCount(field);
            var m = new double[n];
            var u = new double[n];
            // Agreement levels: m falls and u rises level by level; the last level is disagreement.
            var remainingM = 1.0;
            for (var i = 0; i < n - 1; i++)
            {
                m[i] = i == 0 ? 0.85 : 0.1 / (n - 1);
                u[i] = i == 0 ? ExactU(field) : 0.01 * (i + 1);
                remainingM -= m[i];
            }

            m[n - 1] = Math.Max(0.02, remainingM);
            u[n - 1] = Math.Max(0.05, 1 - u.Take(n - 1).Sum());
            // Person-identifying fields: m values set from what agencies' records show (about one
            // record in sixteen has a wholly different given name or date of birth: a replaced or
            // mistyped value, a middle name used as the first name).
            if (field == MatchField.GivenName)
            {
                m = [0.74, 0.05, 0.06, 0.02, 0.04, 0.01, 0.02, 0.06];
            }

            if (field == MatchField.DateOfBirth)
            {
                m = [0.87, 0.01, 0.04, 0.04, 0.04];
            }

            if (field == MatchField.HouseholdPattern)
            {
                m = [0.002, 0.01, 0.988];
                u = [0.01, 0.03, 0.96];
            }

            fields.Add(new FieldParameters
            {
                Field = field,
                Levels = Comparisons.Levels(field).ToArray(),
                M = Normalise(m),
                U = Normalise(u),
                TermFrequencyWeight = field is MatchField.GivenName or MatchField.FamilyName or MatchField.Town or MatchField.Postcode or MatchField.AddressLine1 ? 1 : 0,
            });
        }

        return new MatchModel { MatchPrior = 0.01, Fields = fields, Provenance = "default starting values" };
    }

    private static double ExactU(MatchField field) => field switch
    {
        MatchField.GivenName => 0.01,
        MatchField.FamilyName => 0.005,
        MatchField.DateOfBirth => 0.0002,
        MatchField.StreetNumber => 0.02,
        MatchField.Town => 0.005,
        MatchField.Postcode => 0.002,
        MatchField.State => 0.3,
        MatchField.Email or MatchField.Phone or MatchField.NationalId => 0.0001,
        _ => 0.001,
    };

    internal static double[] Normalise(double[] values)
    {
        var sum = values.Sum();
        return values.Select(v => v / sum).ToArray();
    }
}
