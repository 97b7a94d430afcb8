using Threshold.Storage.Ledger;

namespace Threshold.Storage;

/// <summary>Which database a <see cref="ThresholdStore"/> runs on.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>How to open a <see cref="ThresholdStore"/>; hosts fill it from <c>--data</c> and <c>--database</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>The data folder: the SQLite file (by default) and the agencies' key files live here. Created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// null or empty: the SQLite file <c>{DataDirectory}/threshold.db</c>.
    /// A <c>postgres://user:password@host:port/db</c> URL or an Npgsql <c>Host=…;</c> connection string: PostgreSQL.
    /// A path ending in <c>.db</c>, <c>.sqlite</c> or <c>.sqlite3</c>, or a <c>Data Source=…</c> string: that SQLite file.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>Read models kept in step with the ledger, in the append's own transaction.</summary>
    public IReadOnlyList<IProjection> Projections { get; init; } = [];

    /// <summary>Stamps <c>recorded_at</c>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Agency id → path of its checkpoint key file (a random 256-bit HMAC-SHA256 key: one line of base64, or 32
    /// raw bytes), from configuration. Agencies not named here keep their
    /// key in <c>{DataDirectory}/keys/{agency}.key</c>, created on the agency chain's first append.
    /// </summary>
    public IReadOnlyDictionary<string, string>? AgencyKeyFiles { get; init; }

    /// <summary>
    /// PostgreSQL schema to use (created when missing). Default: the first entry of the connection string's
    /// <c>Search Path</c>, else <c>public</c>. Ignored for SQLite.
    /// </summary>
    public string? Schema { get; init; }
}
