using System.Diagnostics;

namespace Threshold.Infrastructure;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real <c>threshold</c> executable (the host's build output) as a separate process.</summary>
public static class ThresholdProcess
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "threshold.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Executable);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"threshold {string.Join(' ', args)} did not finish");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
