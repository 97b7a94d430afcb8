using System.Data.Common;

namespace Threshold.Storage.Ledger;

/// <summary>How a <c>ledger_events</c> row is selected and turned into a <see cref="StoredEvent"/>.</summary>
internal static class EventRows
{
    public const string Columns =
        "position, agency_id, sequence, stream_id, stream_version, event_type, payload, actor, recorded_at, prev_hash, hash";

    public static StoredEvent Read(DbDataReader r) => new(
        Position: r.GetInt64(0),
        AgencyId: r.GetString(1),
        Sequence: r.GetInt64(2),
        StreamId: r.GetString(3),
        StreamVersion: r.GetInt64(4),
        Type: r.GetString(5),
        Payload: r.GetString(6),
        Actor: r.GetString(7),
        RecordedAt: r.GetString(8),
        PreviousHash: r.GetFieldValue<byte[]>(9),
        Hash: r.GetFieldValue<byte[]>(10));

    /// <summary>
    /// Up to <paramref name="limit"/> events after <paramref name="afterPosition"/>, read fully before returning:
    /// callers then write on the same connection, which PostgreSQL does not allow while a reader is open.
    /// </summary>
    public static async Task<List<StoredEvent>> ReadBatchAsync(
        DbConnection connection, DbTransaction? transaction, long afterPosition, int limit, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM ledger_events WHERE position > @after ORDER BY position LIMIT {limit}";
        Parameter(command, "@after", afterPosition);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    public static void Parameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}
