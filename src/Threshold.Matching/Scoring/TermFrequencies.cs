using Threshold.Matching.Normalisation;

namespace Threshold.Matching.Scoring;

/// <summary>
/// Counts of values of the name and place fields, so that exact agreement on a common value
/// (Smith, London) counts for less than agreement on a rare one. The adjustment in bits is
/// log2(mean frequency / this value's frequency), kept within ±<see cref="Limit"/>; the mean
/// frequency is the chance two random records agree on the field.
/// </summary>
public sealed class TermFrequencies
{
    private const int Fields = 5;
    private const double Limit = 5;
    private readonly Dictionary<string, int>[] _counts = new Dictionary<string, int>[Fields];
    private readonly long[] _totals = new long[Fields];
    private readonly double[] _sumOfSquares = new double[Fields];

    public TermFrequencies()
    {
        for (var i = 0; i < Fields; i++)
        {
            _counts[i] = new Dictionary<string, int>(StringComparer.Ordinal);
        }
    }

    /// <summary>Counts a person's values.</summary>
    public void Add(NormalisedPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        Count(0, person.Given);
        Count(1, person.Family);
        Count(2, person.AddressLine1);
        Count(3, person.Town);
        Count(4, person.Postcode.Full);
    }

    /// <summary>Sets a person's term-frequency adjustments from the counts so far.</summary>
    public void Assign(NormalisedPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        person.GivenTf = Adjustment(0, person.Given);
        person.FamilyTf = Adjustment(1, person.Family);
        person.AddressTf = Adjustment(2, person.AddressLine1);
        person.TownTf = Adjustment(3, person.Town);
        person.PostcodeTf = Adjustment(4, person.Postcode.Full);
    }

    private void Count(int field, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts[field], value, out _);
        _sumOfSquares[field] += (2.0 * count) + 1;
        count++;
        _totals[field]++;
    }

    private float Adjustment(int field, string value)
    {
        var total = _totals[field];
        if (value.Length == 0 || total < 50)
        {
            return 0;
        }

        var count = Math.Max(1, _counts[field].GetValueOrDefault(value));
        var frequency = (double)count / total;
        var mean = _sumOfSquares[field] / ((double)total * total);
        return (float)Math.Clamp(Math.Log2(mean / frequency), -Limit, Limit);
    }
}
