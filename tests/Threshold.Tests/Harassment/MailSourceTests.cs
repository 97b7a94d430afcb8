using System.Text;
using Threshold.Mail.Import;

namespace Threshold.Harassment;

/// <summary>
/// An mbox read with each message loaded whole keeps each message's raw bytes from the parser's own reading
/// instead of reading them from the file again: they must be the same bytes, byte for byte, as the file
/// holds between the offsets the parser reports (what a persistent read slices from the file).
/// </summary>
public class MailSourceTests
{
    [Fact]
    public void Raw_bytes_held_while_parsing_are_the_files_own_bytes_for_every_message_of_every_edge_case_mbox()
    {
        var files = Directory.GetFiles(Path.Combine(MailImportTests.EdgeCases, "mbox")).Order().ToList();
        Assert.NotEmpty(files);
        foreach (var mbox in files)
        {
            AssertSameRawBytes(mbox);
        }
    }

    [Fact]
    public void Raw_bytes_held_while_parsing_are_right_across_read_buffers_for_large_and_many_messages()
    {
        // Messages from a few bytes to ~600 KB (more than the parser's read-ahead and the first holding buffer),
        // a body line starting ">From " and some with CRLF line ends.
        var path = Path.Combine(Path.GetTempPath(), $"threshold-mbox-{Guid.NewGuid():n}.mbox");
        try
        {
            var random = new Random(5);
            var text = new StringBuilder();
            for (var i = 0; i < 60; i++)
            {
                var size = i % 10 == 9 ? 600_000 : random.Next(0, 20_000);
                var eol = i % 7 == 3 ? "\r\n" : "\n";
                text.Append($"From sender{i}@example.net Mon Jan  6 08:52:00 2025\n");
                text.Append($"From: Kit {Mails.UniqueSurname()} <kit{i}@example.net>{eol}Subject: message {i}{eol}Message-ID: <m{i}@example.net>{eol}{eol}");
                text.Append(">From the start of a line" + eol);
                for (var written = 0; written < size; written += 70)
                {
                    text.Append(new string((char)('a' + (written / 70 % 26)), 69)).Append(eol);
                }
                text.Append('\n');
            }
            File.WriteAllText(path, text.ToString());
            Assert.Equal(60, AssertSameRawBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int AssertSameRawBytes(string mbox)
    {
        var sliced = MailSource.Read(mbox, persistent: true).Select(Copy).ToList();
        var held = MailSource.Read(mbox, persistent: false).Select(m =>
        {
            using (m)
            {
                return Copy(m);
            }
        }).ToList();
        Assert.Equal(sliced.Count, held.Count);
        for (var i = 0; i < sliced.Count; i++)
        {
            Assert.Equal(sliced[i].SourceName, held[i].SourceName);
            Assert.Equal(sliced[i].RawLength, held[i].RawLength);
            Assert.True(sliced[i].Bytes.AsSpan().SequenceEqual(held[i].Bytes), $"{Path.GetFileName(mbox)}: {sliced[i].SourceName} differs");
        }
        return sliced.Count;
    }

    private static (string SourceName, long RawLength, byte[] Bytes) Copy(IncomingMessage m)
    {
        using var raw = m.OpenRaw();
        using var copy = new MemoryStream();
        raw.CopyTo(copy);
        return (m.SourceName, m.RawLength, copy.ToArray());
    }
}
