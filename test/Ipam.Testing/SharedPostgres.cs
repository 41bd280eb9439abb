using Xunit;

namespace Ipam.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test process, started on first use and stopped at exit; each
/// server gets its own database in it. Without PostgreSQL the tests that need it are skipped with the
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

    private static async Task<PostgresCluster?> StartAsync()
    {
        var cluster = await PostgresCluster.TryStartAsync();
        if (cluster is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return cluster;
    }
}
