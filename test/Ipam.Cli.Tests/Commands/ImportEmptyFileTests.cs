using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

/// <summary><c>ipam import</c> of an empty file or device: one line naming the path as given, exit 2, nothing sent.</summary>
public sealed class ImportEmptyFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ipam-import-empty-test-").FullName;

    [Fact]
    public async Task Import_DevNull_SaysTheFileIsEmptyNamingItsPath()
    {
        var result = await IpamCli.RunAsync("import", "/dev/null", "--server", "http://127.0.0.1:1");

        Assert.Equal("error: /dev/null is empty; ipam import reads a document written by 'ipam export'", result.AssertFailed(2));
    }

    [Fact]
    public async Task Import_EmptyFile_SaysTheFileIsEmptyNamingItsPath()
    {
        var file = Path.Combine(directory, "plan.json");
        await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);

        var result = await IpamCli.RunAsync("import", file, "--server", "http://127.0.0.1:1");

        Assert.Equal($"error: {file} is empty; ipam import reads a document written by 'ipam export'", result.AssertFailed(2));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
