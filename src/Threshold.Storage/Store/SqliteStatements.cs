using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Threshold.Storage;

/// <summary>
/// The ledger writer's statements on its SQLite connection, prepared once and run through SQLite's C API.
/// <para>Microsoft.Data.Sqlite looks each parameter up by name, allocates a binder for it and a UTF-8 copy
/// of every string on every execution: at an import's rate (an event row, a contact row, its labels and
/// an audit row per message, some seventy values) that was a sixth of the whole import's processor time.
/// Here the parameter positions are looked up once, strings are encoded into one buffer that is reused,
/// and SQLite copies what it is given. Errors are Microsoft.Data.Sqlite's own <see cref="SqliteException"/>,
/// so callers see what they saw before. They run in whatever transaction the connection has open.</para>
/// </summary>
internal sealed class SqliteStatements : IDisposable
{
    private const int MaxStatements = 512;

    private readonly sqlite3 _db;

    // Null value: the SQL is not one this class runs (several statements); the caller uses a command.
    private readonly Dictionary<string, Statement?> _statements = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[4096];

    public SqliteStatements(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
    }

    /// <summary>The types bound here; a statement with a value of any other type goes through a command.</summary>
    public static bool CanBind(object? value) =>
        value is null or DBNull or string or long or int or short or bool or double or byte[];

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement, no rows returned to the caller) with the named values, and
    /// says how many rows it changed; false when it is not a statement this class runs.
    /// </summary>
    public bool TryExecute(string sql, ReadOnlySpan<(string Name, object? Value)> parameters, out int changed)
    {
        changed = 0;
        foreach (var (_, value) in parameters)
        {
            if (!CanBind(value))
            {
                return false;
            }
        }
        if (!_statements.TryGetValue(sql, out var statement))
        {
            if (_statements.Count >= MaxStatements)
            {
                // The writer's SQL is a fixed set; should some projection build its SQL from data, it is not cached without end.
                return false;
            }
            statement = Prepare(sql, parameters);
            _statements[sql] = statement;
        }
        if (statement is null || statement.Names.Length != parameters.Length)
        {
            return false;
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(statement.Names[i], parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }
        changed = Run(statement, parameters);
        return true;
    }

    private Statement? Prepare(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var handle, out var tail);
        SqliteException.ThrowExceptionForRC(rc, _db);
        if (!string.IsNullOrWhiteSpace(tail) || handle is null || handle.IsInvalid)
        {
            handle?.Dispose();
            return null;
        }
        var names = new string[parameters.Length];
        var positions = new int[parameters.Length];
        var bound = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            names[i] = parameters[i].Name;
            var name = parameters[i].Name;
            positions[i] = name.Length > 0 && name[0] is '@' or ':' or '$'
                ? raw.sqlite3_bind_parameter_index(handle, name)
                : FirstIndex(handle, name);
            if (positions[i] > 0)
            {
                bound++;
            }
        }
        if (bound < raw.sqlite3_bind_parameter_count(handle))
        {
            handle.Dispose();
            throw new InvalidOperationException($"Must add values for every parameter of: {sql}");
        }
        return new Statement(handle, names, positions);
    }

    private static int FirstIndex(sqlite3_stmt handle, string name)
    {
        foreach (var prefix in "@:$")
        {
            var index = raw.sqlite3_bind_parameter_index(handle, prefix + name);
            if (index > 0)
            {
                return index;
            }
        }
        return 0;
    }

    private int Run(Statement statement, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var handle = statement.Handle;
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var position = statement.Positions[i];
                if (position > 0)
                {
                    Check(Bind(handle, position, parameters[i].Value));
                }
            }
            int rc;
            do
            {
                rc = raw.sqlite3_step(handle);
            }
            while (rc == raw.SQLITE_ROW);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(handle);
            raw.sqlite3_clear_bindings(handle);
        }
    }

    private int Bind(sqlite3_stmt handle, int position, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                return raw.sqlite3_bind_null(handle, position);
            case string { Length: 0 }:
                // An empty span would be bound from a null pointer, which SQLite takes for NULL.
                return raw.sqlite3_bind_text(handle, position, "");
            case string text:
                if (Encoding.UTF8.GetMaxByteCount(text.Length) > _buffer.Length && Encoding.UTF8.GetByteCount(text) is var needed && needed > _buffer.Length)
                {
                    _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
                }
                var written = Encoding.UTF8.GetBytes(text, _buffer);
                return raw.sqlite3_bind_text(handle, position, _buffer.AsSpan(0, written));
            case long n:
                return raw.sqlite3_bind_int64(handle, position, n);
            case int n:
                return raw.sqlite3_bind_int64(handle, position, n);
            case short n:
                return raw.sqlite3_bind_int64(handle, position, n);
            case bool b:
                return raw.sqlite3_bind_int64(handle, position, b ? 1 : 0);
            case double d:
                return raw.sqlite3_bind_double(handle, position, d);
            case byte[] bytes:
                return raw.sqlite3_bind_blob(handle, position, bytes);
            default:
                throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value));
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement?.Handle.Dispose();
        }
        _statements.Clear();
    }

    private sealed record Statement(sqlite3_stmt Handle, string[] Names, int[] Positions);
}
