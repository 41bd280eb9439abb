using Xunit;

namespace Ipam.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test process, started on first use and stopped when the test run ends
/// (<see cref="PostgresTestPipeline"/>); each server gets its own database in it. Without PostgreSQL the tests that need it are skipped with the
/// reason, except under CI (<c>CI=true</c>), where a missing PostgreSQL is a failure.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresCluster?>> Cluster = new(StartAsync);

    public static async Task<PostgresCluster> GetAsync()
    {
        var cluster = await Cluster.Value;
        if (cluster is not null)
        {
            return cluster;
        }

        var reason = $"PostgreSQL unavailable: {PostgresCluster.UnavailableReason}";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason);
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Stops the cluster and deletes its files, if it was started; safe to call more than once.</summary>
    public static async ValueTask StopAsync()
    {
        if (Cluster.IsValueCreated && await Cluster.Value is { } cluster)
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<PostgresCluster?> StartAsync()
    {
        var cluster = await PostgresCluster.TryStartAsync();
        if (cluster is not null)
        {
            // Only a fallback for a process that ends without the test pipeline's stop (a run cut short): the
            // runner gives exit handlers seconds, and deleting a cluster that held many databases can take longer.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return cluster;
    }
}
