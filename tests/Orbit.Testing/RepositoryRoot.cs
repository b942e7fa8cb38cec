namespace Orbit.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding <c>Microservices.sln</c>, found upward from the test's bin folder.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Microservices.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Microservices.sln above {AppContext.BaseDirectory}.");
    }
}
