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
    /// <summary>
    /// camelCase, compact. Text is escaped only where JSON requires it (quotes, backslashes, control
    /// characters): payloads are data, never pasted into HTML, and the default encoder's \u0027 for every
    /// apostrophe and \uXXXX for every accented letter made e-mail bodies a third larger and slower to write.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly FrozenDictionary<string, Type> TypesByName = typeof(IEvent).Assembly
        .GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static NewEvent ToNew(IEvent e) => new(e.GetType().Name, JsonSerializer.Serialize(e, e.GetType(), Options)) { Source = e };

    public static bool IsKnown(string type) => TypesByName.ContainsKey(type);

    /// <summary>The domain event in a stored row, or null when the row's type is not a domain event (for example a benchmark's).</summary>
    /// <remarks>On the append that wrote the row, the value it was serialised from is returned rather than parsed again.</remarks>
    public static IEvent? Deserialize(StoredEvent stored) =>
        stored.Source is IEvent source ? source
        : TypesByName.TryGetValue(stored.Type, out var type)
            ? (IEvent?)JsonSerializer.Deserialize(stored.Payload, type, Options)
            : null;

    public static T Deserialize<T>(StoredEvent stored) where T : IEvent =>
        stored.Source is T source ? source
        : JsonSerializer.Deserialize<T>(stored.Payload, Options)
        ?? throw new InvalidOperationException($"Event at position {stored.Position} has an empty payload.");
}
