namespace Threshold.Infrastructure;

/// <summary>The repository's root folder, found by walking up from the test binaries to Threshold.slnx.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Threshold.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find Threshold.slnx above " + AppContext.BaseDirectory);
    }
}
