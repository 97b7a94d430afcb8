using Microsoft.Playwright;

namespace Threshold.Browser.Tests.Infrastructure;

/// <summary>Full-page screenshots into docs/screenshots/ at the repository root (found by walking up to Threshold.slnx).</summary>
public static class Screenshots
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Folder => Path.Combine(RepoRoot, "docs", "screenshots");

    public static async Task<string> TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Threshold.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find Threshold.slnx above " + AppContext.BaseDirectory);
    }
}
