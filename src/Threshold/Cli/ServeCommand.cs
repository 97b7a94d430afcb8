using System.CommandLine;
using Threshold.Administration;
using Threshold.Storage.Administration;
using Threshold.Web;

namespace Threshold.Cli;

/// <summary><c>threshold serve [--urls URL] [--demo]</c>.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var demo = new Option<bool>("--demo") { Description = "Seed the demo agencies and users into an empty store and print the sign-ins" };
        var serve = new Command("serve", "Run the web application and API") { urls, demo };
        serve.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, async store =>
        {
            var options = new ServeOptions
            {
                Urls = parse.GetValue(urls)!,
                DataDirectory = parse.GetValue(CliContext.Data)!,
                Database = parse.GetValue(CliContext.Database),
                Demo = parse.GetValue(demo),
            };
            var queries = new AdministrationQueries(store);
            var empty = (await queries.ListAgenciesAsync(ct)).Count == 0;
            if (empty && options.Demo)
            {
                await DemoSeed.SeedAsync(CliContext.Administration(store), ct);
            }
            await using var app = ThresholdWeb.Build(store, options);
            await app.StartAsync(ct);
            Console.WriteLine($"Threshold is running at {string.Join(", ", app.Urls)} on {store.Description}.");
            if (options.Demo)
            {
                Console.WriteLine();
                Console.WriteLine($"Demo sign-ins (password for all: {DemoSeed.Password}):");
                foreach (var user in DemoSeed.Users)
                {
                    Console.WriteLine($"  {user.Email,-44} {user.Role,-16} {user.Name}");
                }
            }
            else if (empty)
            {
                Console.WriteLine();
                Console.WriteLine("The store is empty. Add an agency and its first administrator:");
                Console.WriteLine("  threshold agencies add --id my-agency --name \"My Agency\" --kind police|children-services|office");
                Console.WriteLine("  threshold users add --agency my-agency --email you@example.org --role administrator --password-stdin");
                Console.WriteLine("or start with --demo to explore with demo agencies and users.");
            }
            Console.WriteLine("Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        }));
        return serve;
    }
}
