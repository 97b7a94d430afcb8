using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Threshold.Matching.Generation;
using Threshold.Matching.Normalisation;

namespace Threshold.Bench.Matching;

/// <summary>
/// The baseline for the online index: PostgreSQL <c>pg_trgm</c> over the same persons and the same
/// probes. Full names ("given family") in a table with a GIN trigram index; a query filters with
/// <c>%</c> (similarity above <c>pg_trgm.similarity_threshold</c>, 0.3 by default) and orders by
/// <c>similarity</c>, top 10, once on names alone and once with date of birth (normalised on both
/// sides, a help pg_trgm would not have by itself) breaking ties.
/// </summary>
internal static class PgTrgm
{
    private const string NamesAlone =
        "SELECT id FROM bench_persons WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 10";

    private const string WithDateOfBirth =
        "SELECT id FROM bench_persons WHERE name % $1 ORDER BY similarity(name, $1) DESC, (dob = $2) DESC LIMIT 10";

    public static void Compare(string connectionString, int count, IReadOnlyList<Probe> probes)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
        Execute(connection, "DROP TABLE IF EXISTS bench_persons");
        Execute(connection, "CREATE UNLOGGED TABLE bench_persons (id text NOT NULL, name text NOT NULL, dob text NOT NULL)");
        var version = Scalar(connection, "SHOW server_version");

        var clock = Stopwatch.StartNew();
        using (var import = connection.BeginBinaryImport("COPY bench_persons (id, name, dob) FROM STDIN (FORMAT BINARY)"))
        {
            // The same generator and seed as the index: the same persons.
            foreach (var person in HouseholdGenerator.People(count, seed: 23))
            {
                import.StartRow();
                import.Write(person.Id);
                import.Write(Name(person.GivenName, person.FamilyName));
                import.Write(DateOfBirthParser.Parse(person.DateOfBirth).Iso);
            }

            import.Complete();
        }

        var loaded = clock.Elapsed;
        Execute(connection, "SET maintenance_work_mem = '1GB'");
        clock.Restart();
        Execute(connection, "CREATE INDEX bench_persons_name_trgm ON bench_persons USING gin (name gin_trgm_ops)");
        var indexed = clock.Elapsed;
        Execute(connection, "ANALYZE bench_persons");
        var indexBytes = long.Parse(Scalar(connection, "SELECT pg_relation_size('bench_persons_name_trgm')"), CultureInfo.InvariantCulture);
        var tableBytes = long.Parse(Scalar(connection, "SELECT pg_relation_size('bench_persons')"), CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  pg_trgm (PostgreSQL {version}): {count:N0} names loaded by COPY in {loaded.TotalSeconds:0.0} s, GIN trigram index built in {indexed.TotalSeconds:0.0} s; " +
            $"index {indexBytes / (double)count:0} bytes per person on disk (table {tableBytes / (double)count:0})"));

        using var names = Prepare(connection, NamesAlone, 1);
        using var withDob = Prepare(connection, WithDateOfBirth, 2);
        foreach (var probe in probes.Take(50))
        {
            Ids(names, probe);
            Ids(withDob, probe);
        }

        var namesFigures = Program.Measure(probes, p => Ids(names, p));
        Console.WriteLine($"  pg_trgm, names alone:           {namesFigures}");
        var dobFigures = Program.Measure(probes, p => Ids(withDob, p));
        Console.WriteLine($"  pg_trgm, names, date of birth as tie-break: {dobFigures}");
        Execute(connection, "DROP TABLE bench_persons");
    }

    private static string Name(string? given, string? family) => $"{given} {family}".Trim();

    private static NpgsqlCommand Prepare(NpgsqlConnection connection, string sql, int parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        }

        command.Prepare();
        return command;
    }

    private static List<string> Ids(NpgsqlCommand command, Probe probe)
    {
        command.Parameters[0].Value = Name(probe.Query.GivenName, probe.Query.FamilyName);
        if (command.Parameters.Count > 1)
        {
            command.Parameters[1].Value = DateOfBirthParser.Parse(probe.Query.DateOfBirth).Iso;
        }

        var ids = new List<string>(10);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    private static string Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}
