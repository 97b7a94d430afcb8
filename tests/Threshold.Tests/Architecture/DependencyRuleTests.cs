using System.Reflection;
using System.Xml.Linq;
using Threshold.Infrastructure;

namespace Threshold.Architecture;

/// <summary>
/// DESIGN.md: dependencies point inward. The domain and the matcher know no storage, web or mail code,
/// neither in their compiled references nor in their project files.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] Forbidden =
    [
        "Threshold.Storage", "Threshold.Mail", "threshold", "Microsoft.AspNetCore", "Microsoft.Data", "Npgsql",
        "MimeKit", "Dapper", "System.Net.Http", "Microsoft.EntityFrameworkCore", "Microsoft.Extensions.Hosting",
    ];

    public static IEnumerable<object[]> InnerAssemblies() =>
    [
        [typeof(Domain.IEvent).Assembly],
        [typeof(Matching.Normalisation.NameNormaliser).Assembly],
    ];

    [Theory]
    [MemberData(nameof(InnerAssemblies))]
    public void Inner_assembly_references_no_storage_web_or_mail_code(Assembly assembly) =>
        Assert.Empty(Violations(assembly));

    [Theory]
    [InlineData("src/Threshold.Domain/Threshold.Domain.csproj")]
    [InlineData("src/Threshold.Matching/Threshold.Matching.csproj")]
    public void Inner_project_file_references_no_storage_web_or_mail_code(string project) =>
        Assert.Empty(ProjectViolations(Path.Combine(RepoRoot.Path, project)));

    [Fact]
    public void The_rule_fails_on_an_assembly_that_breaks_it()
    {
        // Storage legitimately references the database drivers: the same rule must flag it, which
        // proves the rule can fail.
        var violations = Violations(typeof(Storage.ThresholdStore).Assembly);
        Assert.Contains(violations, v => v.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void The_project_rule_fails_on_a_project_that_breaks_it() =>
        Assert.NotEmpty(ProjectViolations(Path.Combine(RepoRoot.Path, "src/Threshold/Threshold.csproj")));

    private static List<string> Violations(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(a => a.Name ?? "")
            .Where(name => Forbidden.Any(f => name.Equals(f, StringComparison.Ordinal) || name.StartsWith(f + ".", StringComparison.Ordinal)))];

    private static List<string> ProjectViolations(string path) =>
        [.. XDocument.Load(path).Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => Path.GetFileNameWithoutExtension((string?)e.Attribute("Include") ?? ""))
            .Where(name => Forbidden.Any(f => name.Equals(f, StringComparison.OrdinalIgnoreCase) || name.StartsWith(f + ".", StringComparison.OrdinalIgnoreCase)))];
}
