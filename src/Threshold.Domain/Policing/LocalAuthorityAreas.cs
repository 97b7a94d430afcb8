using System.Text.Json;
using Threshold.Domain.Calendar;

namespace Threshold.Domain.Policing;

/// <summary>
/// Which local authority's children's services a child's postcode belongs to (data:
/// Policing/Data/local-authority-areas.json), so a concern for a child goes to the right council
/// unless the officer names one.
/// </summary>
public sealed class LocalAuthorityAreas
{
    private readonly IReadOnlyDictionary<string, string> _byArea;

    private LocalAuthorityAreas(string version, string source, IReadOnlyDictionary<string, string> byArea)
    {
        Version = version;
        Source = source;
        _byArea = byArea;
    }

    public static LocalAuthorityAreas Default { get; } = Parse(DataFiles.Read("local-authority-areas.json"));

    public string Version { get; }

    public string Source { get; }

    /// <summary>The postcode area: its leading letters ("RV1 2AB" → "RV").</summary>
    public static string? AreaOf(string? postcode)
    {
        var letters = new string([.. (postcode ?? "").Trim().ToUpperInvariant().TakeWhile(char.IsAsciiLetter)]);
        return letters.Length is 1 or 2 ? letters : null;
    }

    /// <summary>The local authority for a postcode, or null when the area is not in the file.</summary>
    public string? For(string? postcode) => AreaOf(postcode) is { } area && _byArea.TryGetValue(area, out var la) ? la : null;

    public static LocalAuthorityAreas Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var map = root.GetProperty("areas").EnumerateArray()
            .ToDictionary(a => a.GetProperty("postcodeArea").GetString()!.ToUpperInvariant(), a => a.GetProperty("localAuthority").GetString()!, StringComparer.Ordinal);
        return new LocalAuthorityAreas(root.GetProperty("version").GetString() ?? "", root.GetProperty("source").GetString() ?? "", map);
    }
}
