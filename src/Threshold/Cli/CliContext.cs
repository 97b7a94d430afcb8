using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Threshold.Access;
using Threshold.Administration;
using Threshold.Domain;
using Threshold.Storage;
using Threshold.Storage.Access;
using Threshold.Storage.Administration;

namespace Threshold.Cli;

/// <summary>Exit codes shared by every command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int CannotRun = 2;
}

/// <summary>The options every command takes, and how a command opens the store and reports failure.</summary>
public static class CliContext
{
    public static readonly Option<string> Data = new("--data")
    {
        Description = "Data folder (SQLite file, agency keys, blobs)",
        DefaultValueFactory = _ => "./data",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "postgres://user:password@host:port/db or a PostgreSQL connection string; default SQLite DIR/threshold.db",
        Recursive = true,
    };

    /// <summary>Every read model Threshold keeps; the store brings each up to date on opening.</summary>
    public static IReadOnlyList<Storage.Ledger.IProjection> Projections() => [new AdministrationProjection(), new AuditProjection(), new Storage.Safeguarding.ReferralProjection(), new Storage.Harassment.HarassmentProjection(), new Storage.Policing.PoliceProjection(), new Storage.Integrity.IntegrityProjection()];

    public static Task<ThresholdStore> OpenStoreAsync(ParseResult parse, CancellationToken ct) =>
        ThresholdStore.OpenAsync(new Storage.StoreOptions
        {
            DataDirectory = parse.GetValue(Data) ?? "./data",
            Database = parse.GetValue(Database),
            Projections = Projections(),
        }, ct);

    public static AdministrationService Administration(ThresholdStore store) =>
        new(store, new AdministrationQueries(store), new PasswordHasher<ThresholdUser>(), TimeProvider.System);

    public static string Actor => $"cli:{Environment.UserName}";

    /// <summary>Runs a command body against the store, turning known failures into a plain message and an exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<ThresholdStore, Task<int>> body)
    {
        try
        {
            await using var store = await OpenStoreAsync(parse, ct);
            return await body(store);
        }
        catch (StoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"threshold: {e.Message}");
            return ExitCodes.CannotRun;
        }
        catch (DomainRuleException e)
        {
            await Console.Error.WriteLineAsync($"threshold: {e.Message}");
            return ExitCodes.Refused;
        }
    }
}
