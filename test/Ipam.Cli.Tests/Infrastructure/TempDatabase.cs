namespace Ipam.Cli.Tests.Infrastructure;

/// <summary>A SQLite file path of its own for one test; the file and its WAL companions are deleted on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ipam-cli-test-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal", Path + ".lock" })
        {
            File.Delete(file);
        }
    }
}
