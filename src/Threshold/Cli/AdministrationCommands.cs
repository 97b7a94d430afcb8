using System.CommandLine;
using Threshold.Domain.Agencies;

namespace Threshold.Cli;

/// <summary><c>agencies add</c>, <c>users add</c>, <c>tokens create</c>, <c>agreements add</c>.</summary>
public static class AdministrationCommands
{
    public static Command Agencies()
    {
        var id = new Option<string>("--id") { Description = "The agency's stable id (slug), used in URLs and the API", Required = true };
        var name = new Option<string>("--name") { Description = "The agency's name as users see it", Required = true };
        var kind = new Option<string>("--kind") { Description = "police, children-services or office", Required = true };
        kind.AcceptOnlyFromAmong("police", "children-services", "office");
        var colour = new Option<string?>("--colour") { Description = "Header colour, #rrggbb" };
        var add = new Command("add", "Register an agency") { id, name, kind, colour };
        add.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, async store =>
        {
            await CliContext.Administration(store).RegisterAgencyAsync(
                parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(kind)!, parse.GetValue(colour), CliContext.Actor, ct);
            Console.WriteLine($"Agency '{parse.GetValue(id)}' registered.");
            return ExitCodes.Ok;
        }));
        return new Command("agencies", "Agencies") { add };
    }

    public static Command Users()
    {
        var agency = new Option<string>("--agency") { Description = "The agency's id", Required = true };
        var email = new Option<string>("--email") { Description = "Sign-in e-mail address", Required = true };
        var role = new Option<string>("--role") { Description = string.Join(", ", Role.All.Select(r => r.Slug)), Required = true };
        var name = new Option<string?>("--name") { Description = "Name other agencies see as a contact, e.g. \"DC Sam Hale\"" };
        var phone = new Option<string?>("--phone") { Description = "Phone number other agencies see as a contact" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var add = new Command("add", "Add a user to an agency") { agency, email, role, name, phone, passwordStdin };
        add.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(passwordStdin))
            {
                await Console.Error.WriteLineAsync("threshold: give the password on standard input with --password-stdin (it is never taken as an argument).");
                return ExitCodes.CannotRun;
            }
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r');
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("threshold: no password on standard input.");
                return ExitCodes.CannotRun;
            }
            return await CliContext.RunAsync(parse, ct, async store =>
            {
                var id = await CliContext.Administration(store).AddUserAsync(parse.GetValue(agency)!, parse.GetValue(email)!, parse.GetValue(role)!,
                    parse.GetValue(name), parse.GetValue(phone), password, CliContext.Actor, ct);
                Console.WriteLine($"User {parse.GetValue(email)} added to '{parse.GetValue(agency)}' as {parse.GetValue(role)} ({id}).");
                return ExitCodes.Ok;
            });
        });
        return new Command("users", "Users") { add };
    }

    public static Command Tokens()
    {
        var email = new Option<string>("--email") { Description = "The user's e-mail address", Required = true };
        var days = new Option<int>("--expires-in-days") { Description = "Lifetime in days", DefaultValueFactory = _ => 30 };
        var create = new Command("create", "Create an API bearer token for a user; prints only the token") { email, days };
        create.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, async store =>
        {
            var lifetime = parse.GetValue(days);
            if (lifetime is < 1 or > 366)
            {
                await Console.Error.WriteLineAsync("threshold: --expires-in-days must be between 1 and 366.");
                return ExitCodes.CannotRun;
            }
            var (token, _) = await CliContext.Administration(store).IssueTokenAsync(parse.GetValue(email)!, TimeSpan.FromDays(lifetime), CliContext.Actor, ct);
            Console.WriteLine(token);
            return ExitCodes.Ok;
        }));
        return new Command("tokens", "API tokens") { create };
    }

    public static Command Agreements()
    {
        var agencies = new Option<string>("--agencies") { Description = "Comma-separated agency ids (two or more)", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "What the sharing is for", DefaultValueFactory = _ => "safeguarding" };
        var add = new Command("add", "Record an information-sharing agreement between agencies") { agencies, purpose };
        add.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, async store =>
        {
            var parties = parse.GetValue(agencies)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var id = await CliContext.Administration(store).RecordAgreementAsync(parties, parse.GetValue(purpose)!, CliContext.Actor, ct);
            Console.WriteLine($"Information-sharing agreement {id} recorded.");
            // Open referrals of the councils in it may now match the other parties' records: the integrity check runs again on them.
            await using var app = Web.ThresholdWeb.Build(store, new Web.ServeOptions { DataDirectory = parse.GetValue(CliContext.Data)!, Database = parse.GetValue(CliContext.Database) });
            var (checkedAgain, changed) = await app.Services.GetRequiredService<Integrity.IntegrityRecheck>().AgreementRecordedAsync(parties, id, ct);
            if (checkedAgain > 0)
            {
                Console.WriteLine($"The integrity check ran again on {checkedAgain:N0} open referrals; {changed:N0} now have different signals.");
            }
            return ExitCodes.Ok;
        }));
        return new Command("agreements", "Information-sharing agreements") { add };
    }
}
