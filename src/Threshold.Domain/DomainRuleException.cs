namespace Threshold.Domain;

/// <summary>
/// A business rule refused an action. Every refusal names its rule and says, in words a
/// caseworker understands, what was wrong; hosts turn it into a 4xx problem document or a
/// command-line error, never a crash.
/// </summary>
public sealed class DomainRuleException : Exception
{
    public DomainRuleException(string rule, string message)
        : base(message)
    {
        Rule = rule;
    }

    public DomainRuleException()
        : this("Unspecified", "The action was refused.")
    {
    }

    public DomainRuleException(string message)
        : this("Unspecified", message)
    {
    }

    public DomainRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rule = "Unspecified";
    }

    public string Rule { get; } = "Unspecified";
}
