using Microsoft.Data.Sqlite;
using Threshold.Storage;

namespace Threshold.Tests.Storage;

/// <summary>
/// The ledger writer's statements through SQLite's C API must store exactly what Microsoft.Data.Sqlite
/// stored, and fail the way it failed: the same values back, the same exception on a constraint.
/// </summary>
public sealed class SqliteStatementsTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementsTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL, n INTEGER, b BLOB, d REAL, f INTEGER)";
        create.ExecuteNonQuery();
    }

    private const string Insert = "INSERT INTO t (id, s, n, b, d, f) VALUES (@id, @s, @n, @b, @d, @f)";

    private object?[] Row(long id)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT s, typeof(s), n, b, d, f FROM t WHERE id = @id";
        select.Parameters.AddWithValue("@id", id);
        using var reader = select.ExecuteReader();
        Assert.True(reader.Read());
        return [reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? null : (byte[])reader[3], reader.GetDouble(4), reader.GetInt64(5)];
    }

    [Fact]
    public void Values_of_every_bound_type_come_back_as_they_went_in()
    {
        using var statements = new SqliteStatements(_connection);
        var longText = string.Concat(Enumerable.Repeat("Zoë’s 😀 lamp — ", 2_000));
        Assert.True(statements.TryExecute(Insert, [("id", 1L), ("s", longText), ("n", 42), ("b", new byte[] { 0, 1, 255 }), ("d", 2.5), ("f", true)], out var changed));
        Assert.Equal(1, changed);
        Assert.True(statements.TryExecute(Insert, [("id", 2L), ("s", ""), ("n", null), ("b", DBNull.Value), ("d", 0.0), ("f", false)], out _));
        // A short string after a long one: the reused buffer's old bytes must not leak into it.
        Assert.True(statements.TryExecute(Insert, [("id", 3L), ("s", "ok"), ("n", (short)7), ("b", Array.Empty<byte>()), ("d", -1.0), ("f", 0)], out _));

        Assert.Equal([longText, "text", 42L, new byte[] { 0, 1, 255 }, 2.5, 1L], Row(1));
        Assert.Equal(["", "text", null, null, 0.0, 0L], Row(2)); // an empty string stays text, never NULL
        Assert.Equal("ok", Row(3)[0]);
    }

    [Fact]
    public void A_constraint_failure_is_a_SqliteException_with_its_code_and_the_statement_runs_again_after_it()
    {
        using var statements = new SqliteStatements(_connection);
        Assert.True(statements.TryExecute(Insert, [("id", 1L), ("s", "a"), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));

        var duplicate = Assert.Throws<SqliteException>(() =>
            statements.TryExecute(Insert, [("id", 1L), ("s", "b"), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.Equal(1555, duplicate.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_PRIMARYKEY
        var missing = Assert.Throws<SqliteException>(() =>
            statements.TryExecute(Insert, [("id", 2L), ("s", null), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.Equal(1299, missing.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_NOTNULL

        Assert.True(statements.TryExecute(Insert, [("id", 2L), ("s", "c"), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.Equal("c", Row(2)[0]);
    }

    [Fact]
    public void What_it_does_not_run_is_left_to_a_command()
    {
        using var statements = new SqliteStatements(_connection);
        // A type it does not bind, several statements, and a parameter list that differs from the prepared one.
        Assert.False(statements.TryExecute(Insert, [("id", 1L), ("s", "a"), ("n", 1m), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.False(statements.TryExecute("INSERT INTO t (id, s) VALUES (@id, 'x'); INSERT INTO t (id, s) VALUES (@id + 1, 'y')", [("id", 5L)], out _));
        Assert.True(statements.TryExecute(Insert, [("id", 1L), ("s", "a"), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.False(statements.TryExecute(Insert, [("s", "a"), ("id", 9L), ("n", 1), ("b", null), ("d", 1.0), ("f", 1)], out _));
        Assert.Throws<InvalidOperationException>(() => statements.TryExecute("INSERT INTO t (id, s) VALUES (@id, @s)", [("id", 3L)], out _));

        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(1L, count.ExecuteScalar());
    }

    public void Dispose() => _connection.Dispose();
}
