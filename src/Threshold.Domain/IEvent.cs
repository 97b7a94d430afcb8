namespace Threshold.Domain;

/// <summary>
/// Marks a fact recorded in the ledger. Events are plain records: the storage layer names them by
/// their type name and serialises them; nothing here knows how.
/// </summary>
#pragma warning disable CA1040 // a marker interface is the point: it constrains what can be appended
public interface IEvent;
#pragma warning restore CA1040
