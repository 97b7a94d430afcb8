using MimeKit;
using Threshold.Administration;
using Threshold.Cli;
using Threshold.Harassment.Intake;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Blobs;
using Threshold.Storage.Harassment;

namespace Threshold.Harassment;

/// <summary>A fresh SQLite store with the demo agencies and users, and the office's harassment log on it.</summary>
public sealed class HarassmentStore : IAsyncDisposable
{
    public const string Office = "alex-morgan-mp";
    public const string Caseworker = "caseworker@alex-morgan-mp.example";

    private HarassmentStore(string data, ThresholdStore store)
    {
        DataDirectory = data;
        Store = store;
        Queries = new HarassmentQueries(store);
        Blobs = BlobStore.ForDataDirectory(data);
        Log = new HarassmentLog(store, Blobs, Queries, new AdministrationQueries(store), TimeProvider.System);
    }

    public string DataDirectory { get; }

    public ThresholdStore Store { get; }

    public HarassmentQueries Queries { get; }

    public BlobStore Blobs { get; }

    public HarassmentLog Log { get; }

    public static async Task<HarassmentStore> CreateAsync(string? database = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "threshold-harassment-tests", Guid.NewGuid().ToString("n"));
        var store = await ThresholdStore.OpenAsync(new StoreOptions { DataDirectory = data, Database = database, Projections = CliContext.Projections() });
        await DemoSeed.SeedAsync(CliContext.Administration(store));
        return new HarassmentStore(data, store);
    }

    /// <summary>Imports messages in one intake, as the CLI does.</summary>
    public async Task<List<ContactResult>> ImportAsync(IEnumerable<Mail.Import.IncomingMessage> messages)
    {
        var results = new List<ContactResult>();
        await using var intake = await Log.OpenIntakeAsync(Office, "user:" + Caseworker);
        await intake.AddMessagesAsync(messages, results.Add);
        await intake.CompleteAsync("test");
        return results;
    }

    public Task<List<ContactResult>> ImportAsync(string path) => ImportAsync(Mail.Import.MailSource.Read(path));

    public Task<List<ContactResult>> ImportAsync(params MimeMessage[] messages) =>
        ImportAsync(messages.Select((m, i) => Mail.Import.MailSource.FromBytes(Mails.Bytes(m), $"message {i + 1}")));

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Test e-mails with safe defaults (all names fictional; addresses on reserved example domains).</summary>
public static class Mails
{
    public static MimeMessage Message(
        string from = "Gary Pike <gary.pike@example.net>",
        string subject = "Your campaign",
        string body = "I have written to you three times now and you are a useless liar.",
        string to = "Alex Morgan MP <office@alex-morgan-mp.example>",
        DateTimeOffset? date = null,
        string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = date ?? new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero);
        message.MessageId = messageId ?? $"{Guid.NewGuid():n}@example.net";
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>A made-up surname no other test uses, so tests sharing a store do not group each other's senders by name.</summary>
    /// <summary>
    /// A made-up surname no other test will have or sound like: four random consonant-vowel
    /// syllables. (Letters drawn from a GUID's a–f once gave "Van…" names that shared a Double
    /// Metaphone key and most of their letters, so two tests' senders were grouped as one man.)
    /// </summary>
    public static string UniqueSurname()
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var name = new char[8];
        for (var i = 0; i < name.Length; i += 2)
        {
            name[i] = consonants[Random.Shared.Next(consonants.Length)];
            name[i + 1] = vowels[Random.Shared.Next(vowels.Length)];
        }
        name[0] = char.ToUpperInvariant(name[0]);
        return new string(name);
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>An mbox of the messages, "From " lines escaped as mboxrd does.</summary>
    public static void WriteMbox(string path, IEnumerable<MimeMessage> messages)
    {
        using var file = File.Create(path);
        foreach (var m in messages)
        {
            var sender = m.From.Mailboxes.FirstOrDefault()?.Address ?? "MAILER-DAEMON";
            var marker = System.Text.Encoding.ASCII.GetBytes($"From {sender} Mon Mar  2 09:15:00 2026\n");
            file.Write(marker);
            var body = System.Text.Encoding.Latin1.GetString(Bytes(m)).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            file.Write(System.Text.Encoding.Latin1.GetBytes(body.EndsWith('\n') ? body + "\n" : body + "\n\n"));
        }
    }
}
