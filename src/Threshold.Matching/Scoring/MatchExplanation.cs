using System.Globalization;
using System.Text;

namespace Threshold.Matching.Scoring;

/// <summary>One field's part in a match decision.</summary>
/// <param name="Field">The field compared.</param>
/// <param name="Level">The comparison level reached, or "missing".</param>
/// <param name="Weight">Evidence in bits (log2 m/u plus any term-frequency adjustment); 0 when missing.</param>
/// <param name="TermFrequencyAdjustment">The part of <paramref name="Weight"/> from the value's frequency.</param>
public sealed record FieldEvidence(MatchField Field, string Level, double Weight, double TermFrequencyAdjustment);

/// <summary>Why a pair scored as it did: the prior, each field's level and weight, and the result.</summary>
public sealed record MatchExplanation(
    double PriorWeight,
    IReadOnlyList<FieldEvidence> Fields,
    double IdentityConflictWeight,
    double MatchWeight,
    double MatchProbability)
{
    /// <summary>Bits added back because every location field disagreed (a move counts once).</summary>
    public double MoveCorrection { get; init; }

    public override string ToString()
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"prior {PriorWeight:+0.00;-0.00} bits");
        foreach (var f in Fields)
        {
            s.Append(CultureInfo.InvariantCulture, $"; {f.Field}: {f.Level} {f.Weight:+0.00;-0.00}");
        }

        if (MoveCorrection != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"; moved (location counted once) {MoveCorrection:+0.00;-0.00}");
        }

        if (IdentityConflictWeight != 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"; identity conflict {IdentityConflictWeight:+0.00;-0.00}");
        }

        s.Append(CultureInfo.InvariantCulture, $" = {MatchWeight:+0.00;-0.00} bits, probability {MatchProbability:0.0000}");
        return s.ToString();
    }
}
