using System.CommandLine;
using System.Diagnostics;
using Threshold.Domain;
using Threshold.Harassment.Intake;
using Threshold.Mail.Import;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Harassment;

namespace Threshold.Cli;

/// <summary>
/// <c>threshold import-mail PATH --office SLUG</c>: a single <c>.eml</c>, a folder of them, an mbox or
/// a Maildir into an office's harassment log. Exit 0 when every message was imported or skipped as a
/// duplicate, 1 when some were rejected (the rest imported), 2 when the import could not run.
/// </summary>
public static class ImportMailCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "An .eml file, a folder of .eml files, an mbox file or a Maildir folder" };
        var office = new Option<string>("--office") { Description = "The office whose harassment log receives the messages (its agency id)", Required = true };
        var command = new Command("import-mail", "Import e-mails into an office's harassment log") { path, office };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(path)!, parse.GetValue(office)!, parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(string path, string officeId, ParseResult parse, CancellationToken ct)
    {
        MailSourceKind kind;
        try
        {
            kind = MailSource.Detect(path);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"threshold: {e.Message}");
            return ExitCodes.CannotRun;
        }
        return await CliContext.RunAsync(parse, ct, async store =>
        {
            var log = new HarassmentLog(store, BlobStore.ForDataDirectory(store.DataDirectory), new HarassmentQueries(store), new AdministrationQueries(store), TimeProvider.System);
            IntakeSession intake;
            try
            {
                intake = await log.OpenIntakeAsync(officeId, CliContext.Actor, ct);
            }
            catch (DomainRuleException e)
            {
                await Console.Error.WriteLineAsync($"threshold: {e.Message}");
                return ExitCodes.CannotRun;
            }
            var progress = new Progress(Console.IsErrorRedirected);
            var rejections = new List<ContactResult>();
            await using (intake)
            {
                try
                {
                    // Messages that stand alone are stored, read and scored on the other core while the
                    // next are parsed; results still arrive here in order.
                    await intake.AddMessagesAsync(MailSource.Read(path, persistent: false, ct), result =>
                    {
                        if (result.Outcome == ContactOutcome.Rejected)
                        {
                            rejections.Add(result);
                        }
                        progress.Report(intake);
                    }, ct);
                    await intake.CompleteAsync(Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar)), ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await intake.FlushAsync(ct);
                    progress.Done();
                    await Console.Error.WriteLineAsync($"threshold: reading {path} failed: {e.Message}. {intake.Imported:N0} messages were imported before it; run the same command again to resume.");
                    return ExitCodes.CannotRun;
                }
            }
            progress.Done();
            Console.WriteLine($"{Describe(kind)} {path} into {officeId}'s harassment log:");
            Console.WriteLine($"  imported:           {intake.Imported:N0}");
            Console.WriteLine($"  duplicates skipped: {intake.Duplicates:N0}");
            Console.WriteLine($"  rejected:           {intake.Rejected:N0}");
            foreach (var r in rejections)
            {
                Console.WriteLine($"    {r.Source}: {r.Reason}");
            }
            return rejections.Count > 0 ? ExitCodes.Refused : ExitCodes.Ok;
        });
    }

    private static string Describe(MailSourceKind kind) => kind switch
    {
        MailSourceKind.Mbox => "mbox",
        MailSourceKind.Maildir => "Maildir",
        MailSourceKind.EmlFolder => "Folder",
        _ => "Message",
    };

    /// <summary>One self-overwriting line on a terminal, a few times a second; nothing when stderr is redirected.</summary>
    private sealed class Progress(bool redirected)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _last = -1000;
        private bool _shown;

        public void Report(IntakeSession s)
        {
            if (redirected || _clock.ElapsedMilliseconds - _last < 200)
            {
                return;
            }
            _last = _clock.ElapsedMilliseconds;
            var total = s.Imported + s.Duplicates + s.Rejected;
            var rate = total / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            Console.Error.Write($"\r{total,10:N0} messages  {s.Imported:N0} imported  {s.Duplicates:N0} duplicates  {s.Rejected:N0} rejected  {rate:N0}/s ");
            _shown = true;
        }

        public void Done()
        {
            if (_shown)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
