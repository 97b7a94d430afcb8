using System.CommandLine;
using Threshold.Cli;

namespace Threshold;

/// <summary>The <c>threshold</c> executable: one binary, with a subcommand per job.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BuildCommandLine().Parse(args).InvokeAsync();

    public static RootCommand BuildCommandLine()
    {
        var root = new RootCommand("Threshold: a multi-agency case system for harassment and safeguarding, on a tamper-evident ledger.")
        {
            ServeCommand.Create(),
            AdministrationCommands.Agencies(),
            AdministrationCommands.Users(),
            AdministrationCommands.Tokens(),
            AdministrationCommands.Agreements(),
            VerifyCommand.Create(),
            LinkCommands.Link(),
            LinkCommands.Encode(),
            ImportMailCommand.Create(),
            DemoCommand.Create(),
        };
        root.Options.Add(CliContext.Data);
        root.Options.Add(CliContext.Database);
        return root;
    }
}
