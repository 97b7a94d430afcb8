using System.Collections.Frozen;
using System.Text.Json;
using Threshold.Domain;
using Threshold.Storage.Ledger;

namespace Threshold.Storage.Events;

/// <summary>
/// Turns domain events into ledger rows and back. An event's type name in the ledger is its record's
/// name (<c>AgencyRegistered</c>); renaming a record is therefore a breaking change to stored data.
/// </summary>
public static class EventSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };

    private static readonly FrozenDictionary<string, Type> TypesByName = typeof(IEvent).Assembly
        .GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static NewEvent ToNew(IEvent e) => new(e.GetType().Name, JsonSerializer.Serialize(e, e.GetType(), Options));

    public static bool IsKnown(string type) => TypesByName.ContainsKey(type);

    /// <summary>The domain event in a stored row, or null when the row's type is not a domain event (for example a benchmark's).</summary>
    public static IEvent? Deserialize(StoredEvent stored) =>
        TypesByName.TryGetValue(stored.Type, out var type)
            ? (IEvent?)JsonSerializer.Deserialize(stored.Payload, type, Options)
            : null;

    public static T Deserialize<T>(StoredEvent stored) where T : IEvent =>
        JsonSerializer.Deserialize<T>(stored.Payload, Options)
        ?? throw new InvalidOperationException($"Event at position {stored.Position} has an empty payload.");
}
