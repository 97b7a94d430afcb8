using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Scoring;

/// <summary>
/// Scores pairs of normalised persons with a <see cref="MatchModel"/>: the match weight is the
/// prior log-odds plus each field's log2(m/u) (plus term-frequency adjustments on exact agreement),
/// and the match probability is 1 / (1 + 2^-weight). Thread-safe; allocation-free per pair.
/// </summary>
public sealed class Scorer
{
    private const int Stride = 8;
    private readonly double[] _weights = new double[Comparisons.FieldCount * Stride];
    private readonly float[] _tfWeight = new float[Comparisons.FieldCount];
    private readonly double _prior;
    private readonly double _conflict;

    public Scorer(MatchModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _prior = Math.Log2(model.MatchPrior / (1 - model.MatchPrior));
        _conflict = model.IdentityConflictPenalty;
        foreach (var field in model.Fields)
        {
            var f = (int)field.Field;
            _tfWeight[f] = (float)field.TermFrequencyWeight;
            for (var level = 0; level < field.M.Count; level++)
            {
                _weights[(f * Stride) + level] = field.Weight(level);
            }
        }
    }

    public MatchModel Model { get; }

    /// <summary>The prior log-odds (bits) that a candidate pair is a match.</summary>
    public double PriorWeight => _prior;

    /// <summary>Match weight in bits; term frequencies come from <paramref name="a"/>.</summary>
    public double Weight(NormalisedPerson a, NormalisedPerson b)
    {
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        Comparisons.Compare(a, b, levels);
        return Weight(levels, a);
    }

    /// <summary>Match probability in [0, 1].</summary>
    public double Probability(NormalisedPerson a, NormalisedPerson b) => ToProbability(Weight(a, b));

    public static double ToProbability(double weight) => 1.0 / (1.0 + Math.Pow(2, -weight));

    /// <summary>The weight of an already computed comparison vector.</summary>
    public double Weight(ReadOnlySpan<sbyte> levels, NormalisedPerson termSource)
    {
        var total = _prior;
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            var level = levels[f];
            if (level >= 0)
            {
                total += _weights[(f * Stride) + level];
            }
        }

        total += MoveCorrection(levels);

        total += TermFrequencyAdjustments(levels, termSource);
        if (IsIdentityConflict(levels))
        {
            total += _conflict;
        }

        return total;
    }

    /// <summary>Each field's level and weight, and the total, for a pair.</summary>
    public MatchExplanation Explain(NormalisedPerson a, NormalisedPerson b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<sbyte> levels = stackalloc sbyte[Comparisons.FieldCount];
        Comparisons.Compare(a, b, levels);
        var fields = new List<FieldEvidence>(Comparisons.FieldCount);
        for (var f = 0; f < Comparisons.FieldCount; f++)
        {
            var field = (MatchField)f;
            var level = levels[f];
            if (level < 0)
            {
                fields.Add(new FieldEvidence(field, "missing", 0, 0));
                continue;
            }

            var tf = level == 0 ? TermFrequencyOf(field, a) * _tfWeight[f] : 0;
            fields.Add(new FieldEvidence(field, Comparisons.Levels(field)[level], _weights[(f * Stride) + level] + tf, tf));
        }

        var conflict = IsIdentityConflict(levels) ? _conflict : 0;
        var weight = Weight(levels, a);
        return new MatchExplanation(_prior, fields, conflict, weight, ToProbability(weight)) { MoveCorrection = MoveCorrection(levels) };
    }

    private static readonly int[] LocationFields =
        [(int)MatchField.StreetNumber, (int)MatchField.AddressLine1, (int)MatchField.AddressLine2, (int)MatchField.Town, (int)MatchField.Postcode];

    /// <summary>
    /// A move changes street number, street, town and postcode together: when every location
    /// field present disagrees completely, they count as one disagreement (the weight of the
    /// mildest of them) rather than the sum of all. Returns the bits to add back.
    /// </summary>
    public double MoveCorrection(ReadOnlySpan<sbyte> levels)
    {
        double sum = 0, mildest = double.NegativeInfinity;
        var present = 0;
        foreach (var f in LocationFields)
        {
            var level = levels[f];
            if (level < 0)
            {
                continue;
            }

            if (level != Comparisons.Different((MatchField)f))
            {
                return 0;
            }

            var w = _weights[(f * Stride) + level];
            sum += w;
            mildest = Math.Max(mildest, w);
            present++;
        }

        return present < 2 ? 0 : mildest - sum;
    }

    private bool IsIdentityConflict(ReadOnlySpan<sbyte> levels) =>
        _conflict != 0 && levels[(int)MatchField.HouseholdPattern] is 0 or 1;

    private double TermFrequencyAdjustments(ReadOnlySpan<sbyte> levels, NormalisedPerson p)
    {
        double total = 0;
        if (levels[(int)MatchField.GivenName] == 0)
        {
            total += p.GivenTf * _tfWeight[(int)MatchField.GivenName];
        }

        if (levels[(int)MatchField.FamilyName] == 0)
        {
            total += p.FamilyTf * _tfWeight[(int)MatchField.FamilyName];
        }

        if (levels[(int)MatchField.AddressLine1] == 0)
        {
            total += p.AddressTf * _tfWeight[(int)MatchField.AddressLine1];
        }

        if (levels[(int)MatchField.Town] == 0)
        {
            total += p.TownTf * _tfWeight[(int)MatchField.Town];
        }

        if (levels[(int)MatchField.Postcode] == 0)
        {
            total += p.PostcodeTf * _tfWeight[(int)MatchField.Postcode];
        }

        return total;
    }

    private static double TermFrequencyOf(MatchField field, NormalisedPerson p) => field switch
    {
        MatchField.GivenName => p.GivenTf,
        MatchField.FamilyName => p.FamilyTf,
        MatchField.AddressLine1 => p.AddressTf,
        MatchField.Town => p.TownTf,
        MatchField.Postcode => p.PostcodeTf,
        _ => 0,
    };
}
