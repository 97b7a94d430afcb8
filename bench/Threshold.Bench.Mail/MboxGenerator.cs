using System.Globalization;
using System.Text;

/// <summary>
/// Constituency mail, deterministic: many senders writing several times, abuse among casework.
/// <para>The default shape is mail as clients send it: header blocks of 1–4 KB (a Received chain, DKIM and
/// authentication results, client headers, ARC sets on some), a text body of a few hundred words, mostly
/// quoted-printable and beside an HTML alternative, some replies quoting the last message, some small
/// attachments and some forwards. Calibrated on MimeKit's bare parse: on 100,000 messages it runs here in
/// the range the issue saw (80,000–100,000 messages/s, 550–680 MB/s for 1–20 KB messages).</para>
/// </summary>
internal static class MboxGenerator
{
    public enum Shape
    {
        Realistic,
        BodyHeavy,
    }

    public static void Write(string path, int count, int seed, Shape shape = Shape.Realistic)
    {
        if (shape == Shape.BodyHeavy)
        {
            WriteBodyHeavy(path, count, seed);
        }
        else
        {
            WriteRealistic(path, count, seed);
        }
    }

    private static readonly string[] Given = ["Gary", "Lyn", "Sam", "Priya", "Tom", "Aisha", "Rory", "Maureen", "Dale", "Kit", "Nell", "Ivo", "Orla", "Pim", "Uma", "Ray", "Wren", "Ada", "Jon", "Beth"];
    private static readonly string[] Family = ["Pike", "Bardsley", "Oduya", "Tallis", "Crowther", "Halloway", "Marlow", "Arden", "Renn", "Quayle", "Fenwick", "Ashdown", "Pellow", "Tregear", "Moyle"];
    private static readonly string[] Sentences =
    [
        "I am writing about the closure of the library on Mill Road.",
        "My mother has waited eleven weeks for her operation and nobody can tell us when she will be seen.",
        "The potholes on Quay Lane are getting worse every week.",
        "You are a useless liar and everyone in this town knows it.",
        "I know where you live and I have been watching your office.",
        "Please could your office chase the council about my housing repair.",
        "Thank you for coming to the residents' meeting last week.",
        "Your vote on the ferry contract was a betrayal of the harbour workers.",
        "The bus route 14 cuts mean my daughter cannot get to college.",
        "Stupid woman, go back to the kitchen where you belong.",
        "I will keep writing until you answer me properly.",
        "The children's centre should stay open; families rely on it.",
        "I strongly disagree with your position on the housing bill, and I hope you reconsider.",
        "Your kids walk to school on their own, don't they.",
    ];


    private static readonly string[] Clients =
    [
        "X-Mailer: Microsoft Outlook 16.0",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.4.0",
        "X-Mailer: iPhone Mail (21G93)",
        "X-Mailer: Apple Mail (2.3774.600.62)",
    ];

    private static void WriteRealistic(string path, int count, int seed)
    {
        var random = new Random(seed);
        var senders = Enumerable.Range(0, Math.Max(50, count / 20)).Select(i =>
        {
            var g = Given[random.Next(Given.Length)];
            var f = Family[random.Next(Family.Length)];
            var domain = random.Next(4) switch { 0 => "example.net", 1 => "example.org", 2 => "mail.example.com", _ => "example.co.uk" };
            return (Name: $"{g} {f}", Address: $"{g.ToLowerInvariant()}.{f.ToLowerInvariant()}{i}@{domain}", Domain: domain, Client: random.Next(Clients.Length));
        }).ToArray();
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var start = new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
        var previous = "";
        for (var i = 0; i < count; i++)
        {
            var (name, address, domain, client) = senders[random.Next(senders.Length)];
            var date = start.AddMinutes(i * 7 + random.Next(5));
            var text = Paragraphs(random, random.Next(2) == 0 ? random.Next(300, 1_500) : random.Next(1_000, 6_000));
            var reply = random.Next(8) == 0 && previous.Length > 0;
            if (reply)
            {
                text += $"\n\nOn {date.AddDays(-2):ddd, d MMM yyyy} at {date:HH:mm}, Office of Alex Morgan MP <office@alex-morgan-mp.example> wrote:\n"
                    + string.Join('\n', previous.Split('\n').Select(l => "> " + l));
            }
            var forward = !reply && random.Next(25) == 0;
            var subject = (reply ? "Re: " : forward ? "Fwd: " : "") + Sentences[random.Next(Sentences.Length)][..24];
            if (forward)
            {
                var (originalName, originalAddress, _, _) = senders[random.Next(senders.Length)];
                text = $"Passing this on, it came to me as well.\n\n---------- Forwarded message ---------\nFrom: {originalName} <{originalAddress}>\n" +
                    $"Date: {date.AddHours(-5):ddd, d MMM yyyy} at {date.AddHours(-5):HH:mm}\nSubject: {subject[5..]}\nTo: <{address}>\n\n{text}";
            }
            previous = text.Length > 600 ? text[..600] : text;

            file.WriteLine($"From {address} {date:ddd MMM dd HH:mm:ss yyyy}");
            file.WriteLine($"Return-Path: <{address}>");
            file.WriteLine("Delivered-To: office@alex-morgan-mp.example");
            var hops = random.Next(1, 3);
            for (var h = 0; h < hops; h++)
            {
                file.WriteLine($"Received: from mx{h}.{domain} (mx{h}.{domain} [203.0.113.{random.Next(1, 254)}])\n        by mx.alex-morgan-mp.example with ESMTPS id {random.NextInt64():x}\n        for <office@alex-morgan-mp.example>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        {date.AddSeconds(3 - h):ddd, dd MMM yyyy HH:mm:ss} +0000");
            }
            file.WriteLine($"Authentication-Results: mx.alex-morgan-mp.example;\n       dkim=pass header.i=@{domain} header.s=s2024 header.b={Base64(random, 8)};\n       spf=pass (mx.alex-morgan-mp.example: domain of {address} designates 203.0.113.9 as permitted sender) smtp.mailfrom={address};\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from={domain}");
            if (random.Next(10) == 0)
            {
                file.WriteLine($"ARC-Seal: i=1; a=rsa-sha256; t={date.ToUnixTimeSeconds()}; cv=none; d={domain}; s=arc-2024;\n        b={Folded(Base64(random, 256))}");
                file.WriteLine($"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=arc-2024;\n        h=to:subject:message-id:date:from:mime-version:dkim-signature;\n        bh={Base64(random, 32)};\n        b={Folded(Base64(random, 256))}");
                file.WriteLine($"ARC-Authentication-Results: i=1; mx.{domain};\n       dkim=pass header.i=@{domain} header.s=s2024;\n       spf=pass smtp.mailfrom={address}");
            }
            if (random.Next(10) < 7)
            {
                file.WriteLine($"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s2024; t={date.ToUnixTimeSeconds()};\n        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\n        bh={Base64(random, 32)};\n        b={Folded(Base64(random, 256))}");
            }
            file.WriteLine($"From: {name} <{address}>");
            file.WriteLine("To: Alex Morgan MP <office@alex-morgan-mp.example>");
            file.WriteLine($"Subject: {subject}");
            file.WriteLine($"Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"Message-ID: <CA{random.NextInt64():X}{i}.{random.NextInt64():x}@{domain}>");
            if (reply)
            {
                file.WriteLine($"In-Reply-To: <{random.NextInt64():x}@alex-morgan-mp.example>");
                file.WriteLine($"References: <{random.NextInt64():x}@alex-morgan-mp.example>");
            }
            file.WriteLine(Clients[client]);
            if (client == 0)
            {
                file.WriteLine($"Thread-Index: {Base64(random, 22)}\nContent-Language: en-GB\nX-MS-Has-Attach: \nX-MS-TNEF-Correlator: \nX-Originating-IP: [198.51.100.{random.Next(1, 254)}]");
            }
            file.WriteLine("MIME-Version: 1.0");
            var kind = random.Next(20);
            const string boundary = "000000000000a1b2c3d4e5f6";
            if (kind < 11)
            {
                file.WriteLine("Content-Type: text/plain; charset=\"UTF-8\"");
                file.WriteLine("Content-Transfer-Encoding: quoted-printable");
                file.WriteLine();
                file.WriteLine(QuotedPrintable(text));
            }
            else
            {
                var mixed = kind >= 18;
                if (mixed)
                {
                    file.WriteLine($"Content-Type: multipart/mixed; boundary=\"{boundary}m\"");
                    file.WriteLine();
                    file.WriteLine($"--{boundary}m");
                }
                file.WriteLine($"Content-Type: multipart/alternative; boundary=\"{boundary}\"");
                file.WriteLine();
                file.WriteLine($"--{boundary}");
                file.WriteLine("Content-Type: text/plain; charset=\"UTF-8\"");
                file.WriteLine("Content-Transfer-Encoding: quoted-printable");
                file.WriteLine();
                file.WriteLine(QuotedPrintable(text));
                file.WriteLine($"--{boundary}");
                file.WriteLine("Content-Type: text/html; charset=\"UTF-8\"");
                file.WriteLine("Content-Transfer-Encoding: quoted-printable");
                file.WriteLine();
                file.WriteLine(QuotedPrintable(Html(text, i, random)));
                file.WriteLine($"--{boundary}--");
                if (mixed)
                {
                    var pdf = random.Next(2) == 0;
                    file.WriteLine($"--{boundary}m");
                    file.WriteLine(pdf ? "Content-Type: application/pdf; name=\"letter.pdf\"" : "Content-Type: image/jpeg; name=\"photo.jpg\"");
                    file.WriteLine("Content-Transfer-Encoding: base64");
                    file.WriteLine(pdf ? "Content-Disposition: attachment; filename=\"letter.pdf\"" : "Content-Disposition: attachment; filename=\"photo.jpg\"");
                    file.WriteLine();
                    WriteRandomBase64(file, random, 1_000, 6_000);
                    file.WriteLine($"--{boundary}m--");
                }
            }
            file.WriteLine();
        }
    }

    private static string Paragraphs(Random random, int target)
    {
        var body = new StringBuilder("Dear Ms Morgan,\n\n");
        while (body.Length < target)
        {
            body.Append(Sentences[random.Next(Sentences.Length)]).Append(random.Next(5) == 0 ? "\n\n" : " ");
        }
        body.Append("\n\nRegards,\n").Append(random.Next(3) == 0 ? "Sent from my phone" : "07700 900" + random.Next(100, 999).ToString(CultureInfo.InvariantCulture));
        return body.ToString().Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
    }

    private static string Html(string text, int i, Random random)
    {
        var html = new StringBuilder("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><style>p{margin:0}</style></head><body><div dir=\"ltr\">");
        foreach (var paragraph in text.Split("\n\n"))
        {
            html.Append("<div style=\"font-family:Arial,Helvetica,sans-serif;font-size:small\">")
                .Append(System.Net.WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</div><div><br></div>");
        }
        if (random.Next(4) == 0)
        {
            html.Append($"<img src=\"https://tracker.example/p.gif?id={i}\" width=\"1\" height=\"1\" alt=\"\">");
        }
        return html.Append("</div></body></html>").ToString();
    }

    /// <summary>Quoted-printable as mail clients write it: '=' escaped, lines soft-broken at 76.</summary>
    private static string QuotedPrintable(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text.Replace("\r", "", StringComparison.Ordinal));
        var output = new StringBuilder(bytes.Length + bytes.Length / 10);
        var line = 0;
        foreach (var b in bytes)
        {
            if (b == '\n')
            {
                output.Append('\n');
                line = 0;
                continue;
            }
            var piece = b is >= 33 and <= 126 and not (byte)'=' || b == ' ' ? ((char)b).ToString() : $"={b:X2}";
            if (line + piece.Length > 75)
            {
                output.Append("=\n");
                line = 0;
            }
            output.Append(piece);
            line += piece.Length;
        }
        return output.ToString();
    }

    /// <summary>An attachment's content: random bytes, a size between the bounds, in base64 lines of 76.</summary>
    private static void WriteRandomBase64(StreamWriter file, Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        var b64 = Convert.ToBase64String(bytes);
        for (var k = 0; k < b64.Length; k += 76)
        {
            file.WriteLine(b64.Substring(k, Math.Min(76, b64.Length - k)));
        }
    }

    private static string Base64(Random random, int bytes)
    {
        var buffer = new byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToBase64String(buffer);
    }

    private static string Folded(string value) =>
        string.Join("\n         ", Enumerable.Range(0, (value.Length + 69) / 70).Select(k => value.Substring(k * 70, Math.Min(70, value.Length - k * 70))));

    /// <summary>
    /// The first shape (kept to compare with): short header blocks and long plain bodies, 800–18,000 characters of
    /// text in a message of 1–20 KB. MimeKit skips a body fast, so its bare parse ran at about 900 MB/s on it, well
    /// above the 550–680 MB/s the issue saw; and every stage of the import that reads text had nine kilobytes of it.
    /// </summary>
    private static void WriteBodyHeavy(string path, int count, int seed)
    {
        var random = new Random(seed);
        var senders = Enumerable.Range(0, Math.Max(50, count / 20)).Select(i =>
        {
            var g = Given[random.Next(Given.Length)];
            var f = Family[random.Next(Family.Length)];
            return (Name: $"{g} {f}", Address: $"{g.ToLowerInvariant()}.{f.ToLowerInvariant()}{i}@example.net");
        }).ToArray();
        using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var start = new DateTimeOffset(2025, 1, 6, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var (name, address) = senders[random.Next(senders.Length)];
            var date = start.AddMinutes(i * 7 + random.Next(5));
            var body = new StringBuilder();
            var target = random.Next(800, 18_000);
            while (body.Length < target)
            {
                body.Append(Sentences[random.Next(Sentences.Length)]).Append(random.Next(6) == 0 ? "\n\n" : " ");
            }
            var text = body.ToString().Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            file.WriteLine($"From {address} {date:ddd MMM dd HH:mm:ss yyyy}");
            file.WriteLine($"Return-Path: <{address}>");
            file.WriteLine($"Received: from mail.example.net (mail.example.net [192.0.2.{random.Next(1, 254)}]) by mx.alex-morgan-mp.example with ESMTPS id {random.NextInt64():x}; {date.AddSeconds(3):ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"Received: from [198.51.100.{random.Next(1, 254)}] by mail.example.net with ESMTPSA; {date:ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"From: {name} <{address}>");
            file.WriteLine("To: Alex Morgan MP <office@alex-morgan-mp.example>");
            file.WriteLine($"Subject: {(random.Next(3) == 0 ? "Re: " : "")}{Sentences[random.Next(Sentences.Length)][..24]}");
            file.WriteLine($"Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000");
            file.WriteLine($"Message-ID: <{i}.{random.NextInt64():x}@example.net>");
            file.WriteLine("MIME-Version: 1.0");
            var kind = random.Next(10);
            if (kind < 6)
            {
                file.WriteLine("Content-Type: text/plain; charset=utf-8");
                file.WriteLine("Content-Transfer-Encoding: 8bit");
                file.WriteLine();
                file.WriteLine(text);
            }
            else
            {
                const string boundary = "=_threshold_bench_boundary";
                file.WriteLine($"Content-Type: multipart/{(kind < 9 ? "alternative" : "mixed")}; boundary=\"{boundary}\"");
                file.WriteLine();
                file.WriteLine($"--{boundary}");
                file.WriteLine("Content-Type: text/plain; charset=utf-8");
                file.WriteLine();
                file.WriteLine(text);
                file.WriteLine($"--{boundary}");
                if (kind < 9)
                {
                    file.WriteLine("Content-Type: text/html; charset=utf-8");
                    file.WriteLine();
                    file.WriteLine($"<html><body><p>{System.Net.WebUtility.HtmlEncode(text[..Math.Min(text.Length, 2000)])}</p><img src=\"https://tracker.example/p.gif?id={i}\"></body></html>");
                }
                else
                {
                    file.WriteLine("Content-Type: application/pdf; name=\"letter.pdf\"");
                    file.WriteLine("Content-Transfer-Encoding: base64");
                    file.WriteLine("Content-Disposition: attachment; filename=\"letter.pdf\"");
                    file.WriteLine();
                    WriteRandomBase64(file, random, 500, 3000);
                }
                file.WriteLine($"--{boundary}--");
            }
            file.WriteLine();
        }
    }
}
