using System.Text.Json;

namespace Ipam.Benchmarks.Tests;

/// <summary>
/// The benchmarks host the service in their own process, so they run it with the runtime settings `ipam` ships
/// with (src/ServiceRuntime.props): otherwise they would measure another service than the one that ships.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void Benchmarks_IdleThreadPoolWorkersSleepWithoutSpinning_AsInIpam()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Ipam.Benchmarks.runtimeconfig.json")));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
