using System.Text.Json;

namespace Ipam.Process.Tests;

/// <summary>
/// The runtime settings `ipam` ships with (src/ServiceRuntime.props), read from the runtimeconfig.json beside the
/// ipam.dll these tests start (the benchmarks' own are checked in Ipam.Benchmarks.Tests).
/// </summary>
public sealed class RuntimeConfigTests
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    [Fact]
    public void Ipam_IdleThreadPoolWorkersSleepWithoutSpinning()
    {
        Assert.Equal(0, ConfigProperty(Path.Combine(AppContext.BaseDirectory, "ipam.runtimeconfig.json"), SpinLimit));
    }

    private static int ConfigProperty(string runtimeConfig, string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty(name).GetInt32();
    }
}
