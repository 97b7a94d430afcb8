using MimeKit;
using MimeKit.IO;

namespace Threshold.Mail.Import;

/// <summary>
/// One message read from a source, before anything is stored. <see cref="OpenRaw"/> gives its exact
/// bytes as received (for the evidence hash); <see cref="Message"/> is null when the bytes could not
/// be parsed, and <see cref="ParseError"/> then says why in plain words. It owns its parsed message:
/// whoever reads it disposes it when done (an intake does), because MimeKit's entities have finalizers,
/// and every undisposed one kept its whole message alive through a garbage collection it should have
/// died in (a quarter of what a 100,000-message import allocated was copied to older generations so).
/// </summary>
public sealed class IncomingMessage : IDisposable
{
    internal IncomingMessage(string sourceName, Func<Stream> openRaw, long rawLength, MimeMessage? message, string? parseError, bool standsAlone = true)
    {
        StandsAlone = standsAlone;
        SourceName = sourceName;
        OpenRaw = openRaw;
        RawLength = rawLength;
        Message = message;
        ParseError = parseError;
    }

    /// <summary>Where it came from: a file name, or "archive.mbox #12 (byte 40960)".</summary>
    public string SourceName { get; }

    public Func<Stream> OpenRaw { get; }

    public long RawLength { get; }

    public MimeMessage? Message { get; }

    public string? ParseError { get; }

    /// <summary>
    /// False for a message of an mbox parsed persistently: its content is read on demand from the
    /// file the parser is still reading, so it must be used, on the reader's thread, before the next
    /// message is asked for. True when it can be read on another thread while the next is parsed.
    /// </summary>
    public bool StandsAlone { get; }

    /// <summary>Releases the parsed message (its content streams); the raw bytes stay readable through <see cref="OpenRaw"/>.</summary>
    public void Dispose() => Message?.Dispose();
}

/// <summary>What kind of source a path is.</summary>
public enum MailSourceKind
{
    EmlFile,
    EmlFolder,
    Mbox,
    Maildir,
}

/// <summary>
/// Reads messages from a single <c>.eml</c> file, a folder of them, an mbox file or a Maildir folder,
/// one at a time. An mbox is streamed through MimeKit's parser in mbox mode and never loaded whole:
/// memory stays flat however many messages it holds. Each message must be used before the next is
/// asked for (its content is read from the open file on demand).
/// </summary>
public static class MailSource
{
    /// <summary>MIME nesting deeper than this is kept as opaque content: no recursive walk can be driven to a stack overflow.</summary>
    public const int MaxMimeDepth = 32;

    public static ParserOptions ParserOptions { get; } = new()
    {
        MaxMimeDepth = MaxMimeDepth,
        // Some mbox writers rely on Content-Length instead of escaping "From " lines in bodies.
        RespectContentLength = true,
    };

    /// <summary>Says what kind of source the path is; throws <see cref="FileNotFoundException"/> when there is nothing there.</summary>
    public static MailSourceKind Detect(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.Exists(Path.Combine(path, "cur")) || Directory.Exists(Path.Combine(path, "new"))
                ? MailSourceKind.Maildir
                : MailSourceKind.EmlFolder;
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no file or folder at '{path}'.", path);
        }
        return LooksLikeMbox(path) ? MailSourceKind.Mbox : MailSourceKind.EmlFile;
    }

    /// <summary>Every message at the path, in a stable order (files by name; an mbox in file order).</summary>
    public static IEnumerable<IncomingMessage> Read(string path, CancellationToken ct = default) => Read(path, persistent: true, ct);

    /// <summary>
    /// Every message at the path; with <paramref name="persistent"/> false an mbox's messages are
    /// loaded one by one into memory, so each stands alone and can be read on another thread while
    /// the next is parsed (memory stays flat: one message at a time per reader).
    /// </summary>
    public static IEnumerable<IncomingMessage> Read(string path, bool persistent, CancellationToken ct = default)
    {
        switch (Detect(path))
        {
            case MailSourceKind.Mbox:
                foreach (var m in ReadMbox(path, persistent, ct))
                {
                    yield return m;
                }
                break;
            case MailSourceKind.EmlFile:
                yield return ReadFile(path, Path.GetFileName(path));
                break;
            case MailSourceKind.Maildir:
                foreach (var sub in new[] { "cur", "new" })
                {
                    var folder = Path.Combine(path, sub);
                    if (!Directory.Exists(folder))
                    {
                        continue;
                    }
                    foreach (var file in Files(folder))
                    {
                        ct.ThrowIfCancellationRequested();
                        yield return ReadFile(file, Path.Combine(sub, Path.GetFileName(file)));
                    }
                }
                break;
            case MailSourceKind.EmlFolder:
                foreach (var file in Files(path))
                {
                    ct.ThrowIfCancellationRequested();
                    if (LooksLikeMbox(file))
                    {
                        foreach (var m in ReadMbox(file, persistent, ct))
                        {
                            yield return m;
                        }
                    }
                    else
                    {
                        yield return ReadFile(file, Path.GetFileName(file));
                    }
                }
                break;
        }
    }

    /// <summary>Parses one message held in memory (an upload or an API body).</summary>
    public static IncomingMessage FromBytes(byte[] raw, string sourceName)
    {
        var (message, error) = Parse(new MemoryStream(raw, writable: false), raw.Length);
        return new IncomingMessage(sourceName, () => new MemoryStream(raw, writable: false), raw.Length, message, error);
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);

    private static IncomingMessage ReadFile(string file, string name)
    {
        long length;
        MimeMessage? message;
        string? error;
        try
        {
            var bytes = File.ReadAllBytes(file);
            length = bytes.Length;
            (message, error) = Parse(new MemoryStream(bytes, writable: false), length);
        }
        catch (IOException e)
        {
            return new IncomingMessage(name, () => Stream.Null, 0, null, $"could not read the file: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            return new IncomingMessage(name, () => Stream.Null, 0, null, "could not read the file: permission denied");
        }
        return new IncomingMessage(name, () => File.OpenRead(file), length, message, error);
    }

    private static (MimeMessage? Message, string? Error) Parse(Stream stream, long length)
    {
        if (length == 0)
        {
            return (null, "the file is empty");
        }
        try
        {
            var parser = new MimeParser(ParserOptions, stream, MimeFormat.Entity, persistent: true);
            var message = parser.ParseMessage();
            return message.Headers.Count == 0
                ? (null, "not an e-mail: no headers were found")
                : (message, null);
        }
        catch (FormatException e)
        {
            return (null, $"malformed MIME: {e.Message}");
        }
    }

    private static IEnumerable<IncomingMessage> ReadMbox(string path, bool persistent, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // A message loaded whole (not persistent) keeps its raw bytes from the parser's own reading: they are not read
        // from the file a second time (an open, a read and a close a message).
        using var recording = persistent ? null : new RecordingStream(file);
        var parser = new MimeParser(ParserOptions, recording ?? (Stream)file, MimeFormat.Mbox, persistent);
        long begin = -1, end = -1;
        parser.MimeMessageEnd += (_, e) =>
        {
            if (e.Parent is null)
            {
                begin = e.BeginOffset;
                end = e.EndOffset;
            }
        };
        var index = 0;
        while (!parser.IsEndOfStream)
        {
            ct.ThrowIfCancellationRequested();
            index++;
            MimeMessage? message = null;
            string? failure = null;
            try
            {
                message = parser.ParseMessage(ct);
            }
            catch (FormatException e)
            {
                failure = e.Message;
            }
            if (message is null)
            {
                // The parser cannot find its place again after a broken separator: the rest of the file is one rejection.
                yield return new IncomingMessage($"{name} #{index}", () => Stream.Null, 0, null,
                    $"mbox separator not found ({failure}); the rest of this file could not be read");
                yield break;
            }
            var (from, to) = (begin, end);
            var sourceName = $"{name} #{index} (byte {parser.MboxMarkerOffset})";
            var raw = recording?.Take(from, to);
            yield return new IncomingMessage(sourceName, raw is null ? () => OpenSlice(path, from, to) : () => new MemoryStream(raw, writable: false), to - from,
                message.Headers.Count == 0 ? null : message,
                message.Headers.Count == 0 ? "no headers after an mbox \"From \" line (probably an unescaped \"From \" line inside the message before)" : null,
                standsAlone: !persistent);
        }
    }

    private static BoundStream OpenSlice(string path, long from, long to)
    {
        // Unbuffered: the slice is read in large pieces (a 64 KB buffer per message was most of its reading cost).
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return new BoundStream(file, from, to, leaveOpen: false);
    }

    /// <summary>
    /// Reads a stream forwards and holds what was read since the last <see cref="Take"/>: the parser reads ahead of the
    /// message it returns, so a message's bytes are all held when it ends. It holds about one message and the parser's
    /// read-ahead. Not seekable, so the parser counts offsets from the start itself.
    /// </summary>
    private sealed class RecordingStream(Stream inner) : Stream
    {
        private byte[] _held = new byte[1 << 17];
        private long _heldFrom;   // the stream offset of _held[0]
        private int _heldLength;
        private long _position;

        /// <summary>The bytes from offset <paramref name="from"/> to <paramref name="to"/>; what is before <paramref name="to"/> is then let go.</summary>
        public byte[] Take(long from, long to)
        {
            if (from < _heldFrom || to > _heldFrom + _heldLength || from > to)
            {
                throw new InvalidOperationException($"Bytes {from}-{to} are not held (held: {_heldFrom}-{_heldFrom + _heldLength}).");
            }
            var bytes = _held.AsSpan((int)(from - _heldFrom), (int)(to - from)).ToArray();
            var drop = (int)(to - _heldFrom);
            _held.AsSpan(drop, _heldLength - drop).CopyTo(_held);
            _heldLength -= drop;
            _heldFrom = to;
            return bytes;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            if (_heldLength + read > _held.Length)
            {
                Array.Resize(ref _held, Math.Max(_held.Length * 2, _heldLength + read));
            }
            buffer[..read].CopyTo(_held.AsSpan(_heldLength));
            _heldLength += read;
            _position += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static bool LooksLikeMbox(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        var start = read >= 3 && head[..3].SequenceEqual("\uFEFF"u8) ? 3 : 0; // a UTF-8 byte-order mark
        return read - start >= 5 && head.Slice(start, 5).SequenceEqual("From "u8);
    }
}
