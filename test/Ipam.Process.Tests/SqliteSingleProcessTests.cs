namespace Ipam.Process.Tests;

/// <summary>One <c>ipam serve</c> per SQLite file: SQLite has one writer, and each server caches what it wrote.</summary>
public sealed class SqliteSingleProcessTests
{
    [Fact]
    public async Task SecondServe_OnAFileAlreadyServed_ExitsNonZeroWithOneLineNamingTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-single-process-").FullName;
        var path = Path.Combine(directory, "ipam.db");
        try
        {
            await using var first = await ServerProcess.StartAsync($"sqlite:{path}");

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync($"sqlite:{path}"));

            // ServerProcess reports "ipam serve exited with CODE: OUTPUT".
            var (code, output) = (refused.Message[..refused.Message.IndexOf(':', StringComparison.Ordinal)], refused.Message[(refused.Message.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            Assert.Equal("ipam serve exited with 1", code);
            Assert.DoesNotContain('\n', output);
            Assert.Contains(path, output, StringComparison.Ordinal);
            Assert.Contains("already served by another process", output, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await first.Client.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_AfterTheFirstServerIsKilled_StartsOnTheSameFile()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-single-process-").FullName;
        var path = Path.Combine(directory, "ipam.db");
        try
        {
            await using (var first = await ServerProcess.StartAsync($"sqlite:{path}"))
            {
                first.Kill();
            }

            await using var second = await ServerProcess.StartAsync($"sqlite:{path}");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await second.Client.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
