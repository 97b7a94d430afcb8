namespace Threshold.Web;

/// <summary>What <c>threshold serve</c> was asked to do.</summary>
public sealed record ServeOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    public string DataDirectory { get; init; } = "./data";

    public string? Database { get; init; }

    public bool Demo { get; init; }

    /// <summary>Sign-in attempts allowed per client address per minute (rate limit).</summary>
    public int SignInAttemptsPerMinute { get; init; } = 20;
}
