using System.CommandLine;

namespace Threshold.Cli;

/// <summary><c>threshold verify</c>: walks every chain and checks its authenticated (HMAC-SHA256) checkpoint.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check the ledger's hash chains and their keyed checkpoints; exit 0 when intact");
        verify.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, async store =>
        {
            var result = await store.Ledger.VerifyAsync(ct);
            if (result.Intact)
            {
                Console.WriteLine($"Ledger intact: {result.EventCount} event{(result.EventCount == 1 ? "" : "s")} in {result.ChainCount} chain{(result.ChainCount == 1 ? "" : "s")}.");
                return ExitCodes.Ok;
            }
            await Console.Error.WriteLineAsync($"LEDGER NOT INTACT at {result.FirstBadEvent}: {result.FirstProblem}");
            return ExitCodes.Refused;
        }));
        return verify;
    }
}
