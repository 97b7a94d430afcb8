using System.Diagnostics;
using System.Globalization;

namespace Threshold.Safeguarding;

/// <summary>
/// Adds a <c>Server-Timing: app;dur=…</c> response header (W3C Server Timing): milliseconds from the
/// request entering the pipeline to the response headers being sent. Pages are rendered into a buffer
/// before anything is written, so for a page this is its whole server time. The front door's benchmark
/// reads it; browsers show it in their developer tools. It says nothing about the request's content.
/// </summary>
public static class ServerTiming
{
    public static void Use(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={ms:0.###}");
            return Task.CompletedTask;
        });
        await next(context);
    });
}
