namespace Ipam.Benchmarks.Harness;

/// <summary>The checkout the benchmark app was built from: the nearest directory above it holding Ipam.slnx.</summary>
internal static class RepositoryRoot
{
    public static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ipam.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
