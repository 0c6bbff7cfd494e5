namespace FanForge.Tests.Infrastructure;

/// <summary>
/// Files of the repository itself (paths relative to the folder that holds <c>FanForge.sln</c>), read at test time so a
/// test follows the file as it is checked in rather than a copy in the build output.
/// </summary>
public static class RepoFiles
{
    /// <summary>The full path of <paramref name="relativePath"/> under the repository root; fails the test if it is absent.</summary>
    public static string PathOf(string relativePath)
    {
        var root = RepositoryRoot();
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        Assert.True(path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{relativePath} leads outside the repository root {root}.");
        Assert.True(File.Exists(path), $"{relativePath} not found at {path} (repository root {root}).");
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
