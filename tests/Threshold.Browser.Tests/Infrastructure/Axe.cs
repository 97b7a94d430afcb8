using System.Text.Json;
using Microsoft.Playwright;

namespace Threshold.Browser.Tests.Infrastructure;

/// <summary>Runs axe-core (copied next to the tests from src/Threshold/node_modules by the build) in the page.</summary>
public static class Axe
{
    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Impact} {Id}: {Help} [{string.Join(" | ", Targets)}]";
    }

    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException("axe.min.js is not next to the tests: build the test project (it copies it from src/Threshold/node_modules/axe-core).", path);
    });

    /// <summary>WCAG 2.2 A/AA rules and axe's best practices; every violation found, of any impact.</summary>
    public static async Task<IReadOnlyList<Violation>> RunAsync(IPage page)
    {
        // Evaluated as a script through the DevTools protocol (not a <script> tag), so a
        // Content-Security-Policy does not stop it.
        await page.EvaluateAsync(Source.Value);
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const results = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
              });
              return results.violations.map(v => ({
                id: v.id,
                impact: v.impact || 'unknown',
                help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
              }));
            }
            """);
        return [.. result.EnumerateArray().Select(v => new Violation(
            v.GetProperty("id").GetString()!,
            v.GetProperty("impact").GetString()!,
            v.GetProperty("help").GetString()!,
            [.. v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!)]))];
    }

    public static IReadOnlyList<Violation> SeriousOrCritical(IEnumerable<Violation> violations) =>
        [.. violations.Where(v => v.Impact is "serious" or "critical")];

    /// <summary>Runs axe-core on the page, writes every violation to the test's output, and fails on any serious or critical one.</summary>
    public static async Task AssertAccessibleAsync(IPage page, Xunit.Abstractions.ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var violations = await RunAsync(page);
        foreach (var v in violations)
        {
            output.WriteLine($"{page.Url}: {v}");
        }
        var serious = SeriousOrCritical(violations);
        Xunit.Assert.True(serious.Count == 0, $"Serious or critical accessibility violations on {page.Url}:\n" + string.Join("\n", serious));
    }
}
