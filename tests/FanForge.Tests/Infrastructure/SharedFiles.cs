namespace FanForge.Tests.Infrastructure;

/// <summary>
/// Files of the team's shared folder beside the repository (<c>../shared</c> from the repository root), read at test
/// time so a test follows the document as it is now rather than a copy.
/// </summary>
public static class SharedFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> under <c>../shared</c>; fails the test if it is absent.</summary>
    public static string PathOf(string relativePath)
    {
        var root = RepositoryRoot();
        var path = Path.GetFullPath(Path.Combine(root, "..", "shared", relativePath));
        Assert.True(File.Exists(path), $"{relativePath} not found at {path} (the shared folder sits beside the repository root {root}).");
        return path;
    }

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>The nearest folder above the test binaries that holds <c>FanForge.sln</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FanForge.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No FanForge.sln above {AppContext.BaseDirectory}.");
    }
}
