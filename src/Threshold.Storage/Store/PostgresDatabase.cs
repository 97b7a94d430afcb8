using System.Buffers.Binary;
using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Threshold.Storage;

/// <summary>
/// The scale-out store: PostgreSQL through one <see cref="NpgsqlDataSource"/> (a connection pool) whose
/// connections have <c>search_path</c> set to the store's schema, so the same unqualified SQL serves
/// any schema (the tests give each test its own).
/// </summary>
internal sealed partial class PostgresDatabase : StoreDatabase
{
    /// <summary>
    /// Verify reads the whole ledger in one query: a larger socket read buffer (256 KiB rather than Npgsql's
    /// 8 KiB) takes hundreds of rows per read call instead of about ten, which took about 0.4 µs of client
    /// time off every row in measurements here.
    /// </summary>
    private const int SnapshotReadBufferSize = 256 * 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<NpgsqlDataSource> _snapshotSource;

    private PostgresDatabase(NpgsqlConnectionStringBuilder settings, string schema)
    {
        Schema = schema;
        Host = settings.Host ?? "localhost";
        Port = settings.Port;
        DatabaseName = settings.Database ?? settings.Username ?? "postgres";
        // One advisory-lock key per schema: stores in different schemas do not wait for each other.
        LockKey = BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("threshold.ledger.write:" + schema)));
        settings.SearchPath = schema;
        settings.ApplicationName ??= "threshold";
        _dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        var snapshotSettings = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        snapshotSettings.ReadBufferSize = Math.Max(snapshotSettings.ReadBufferSize, SnapshotReadBufferSize);
        _snapshotSource = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(snapshotSettings.ConnectionString).Build());
    }

    public string Schema { get; }

    public string Host { get; }

    public int Port { get; }

    public string DatabaseName { get; }

    /// <summary>The <c>pg_advisory_xact_lock</c> key that serialises appends to this schema's ledger.</summary>
    public long LockKey { get; }

    public override StoreKind Kind => StoreKind.Postgres;

    public override string Description =>
        $"PostgreSQL {Host}:{Port}/{DatabaseName}" + (Schema == "public" ? "" : $" (schema {Schema})");

    /// <summary>True when <paramref name="database"/> names a PostgreSQL server rather than a SQLite file.</summary>
    public static bool Recognises(string database) =>
        database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKeyword().IsMatch(database);

    /// <summary>Reads a URL or an Npgsql connection string; the message of any error never repeats the value (it may hold a password).</summary>
    public static PostgresDatabase Create(string database, string? schema)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = database.Contains("://", StringComparison.Ordinal) ? FromUrl(database) : new NpgsqlConnectionStringBuilder(database);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
        {
            throw new StoreUnavailableException(
                "The --database value is not a valid PostgreSQL URL (postgres://user:password@host:port/database) or connection string (Host=…;Database=…).", e);
        }
        schema ??= settings.SearchPath?.Split(',')[0].Trim().Trim('"') is { Length: > 0 } first ? first : "public";
        if (!SchemaName().IsMatch(schema))
        {
            throw new StoreUnavailableException(
                $"'{schema}' is not a usable PostgreSQL schema name: use lower-case letters, digits and underscores, starting with a letter or underscore.");
        }
        return new PostgresDatabase(settings, schema);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        var uri = new Uri(url);
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : 5432,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            settings.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                settings.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            settings.Database = database;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            settings[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
        }
        return settings;
    }

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        await _dataSource.OpenConnectionAsync(ct);

    public override string WriteLockStatement => $"SELECT pg_advisory_xact_lock({LockKey})";

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = WriteLockStatement;
            await command.ExecuteNonQueryAsync(ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public override async Task<Ledger.LedgerSnapshot> OpenSnapshotAsync(CancellationToken ct)
    {
        var connection = await _snapshotSource.Value.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The scan reads in primary-key order through the index: sorting the table instead would hold
            // every payload at once.
            command.CommandText = "SET TRANSACTION READ ONLY; SET LOCAL enable_sort = off;";
            await command.ExecuteNonQueryAsync(ct);
            return new Ledger.AdoLedgerSnapshot(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override bool IsStreamVersionClash(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ledger_events_stream_key" };

    public override async Task InitialiseAsync(CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        await using (var encoding = connection.CreateCommand())
        {
            // The hash covers the payload's UTF-8 bytes; a database in another encoding would store other bytes.
            encoding.CommandText = "SHOW server_encoding";
            var name = (string?)await encoding.ExecuteScalarAsync(ct);
            if (!string.Equals(name, "UTF8", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreUnavailableException(
                    $"The PostgreSQL database '{DatabaseName}' at {Host}:{Port} uses the {name} encoding; Threshold needs a UTF8 database.");
            }
        }
        if (Schema == "public")
        {
            return;
        }
        await using var transaction = await BeginWriteAsync(connection, ct);
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{Schema}\"";
            await create.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    public override string DescribeOpenFailure(Exception error)
    {
        var where = $"{Host}:{Port}";
        return error switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } e =>
                $"PostgreSQL at {where} refused the sign-in ({e.MessageText}). Check --database.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"PostgreSQL at {where} has no database '{DatabaseName}'. Check --database.",
            PostgresException e => $"PostgreSQL at {where} refused to open the store: {e.MessageText.TrimEnd('.')}.",
            _ => $"Cannot reach PostgreSQL at {where} ({Reason(error)}). Check --database.",
        };
    }

    private static string Reason(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return "host not found";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                case TimeoutException:
                    return "timed out";
                case SocketException s:
                    return s.Message;
            }
        }
        return error.Message.TrimEnd('.');
    }

    public override IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "ledger_events", """
            CREATE TABLE ledger_events (
                position       bigint PRIMARY KEY,
                agency_id      text   NOT NULL,
                sequence       bigint NOT NULL,
                stream_id      text   NOT NULL,
                stream_version bigint NOT NULL,
                event_type     text   NOT NULL,
                payload        text   NOT NULL,
                actor          text   NOT NULL,
                recorded_at    text   NOT NULL,
                prev_hash      bytea  NOT NULL,
                hash           bytea  NOT NULL,
                CONSTRAINT ledger_events_chain_key UNIQUE (agency_id, sequence),
                CONSTRAINT ledger_events_stream_key UNIQUE (stream_id, stream_version)
            );
            CREATE FUNCTION ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger_events is append-only' USING ERRCODE = 'insufficient_privilege';
            END;
            $$;
            CREATE TRIGGER ledger_events_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger_events
                FOR EACH ROW EXECUTE FUNCTION ledger_events_refuse_change();
            CREATE TRIGGER ledger_events_refuse_truncate BEFORE TRUNCATE ON ledger_events
                FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_refuse_change();
            """),
        new(2, "ledger_checkpoints", """
            CREATE TABLE ledger_checkpoints (
                agency_id text   PRIMARY KEY,
                sequence  bigint NOT NULL,
                head_hash bytea  NOT NULL,
                signed_at text   NOT NULL,
                signature bytea  NOT NULL
            );
            """),
        new(3, "projection_state", """
            CREATE TABLE projection_state (
                name     text    PRIMARY KEY,
                version  integer NOT NULL,
                position bigint  NOT NULL
            );
            """),
    ];

    public override async ValueTask DisposeAsync()
    {
        if (_snapshotSource.IsValueCreated)
        {
            await _snapshotSource.Value.DisposeAsync();
        }
        await _dataSource.DisposeAsync();
    }

    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKeyword();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
