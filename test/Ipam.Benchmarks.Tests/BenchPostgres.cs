using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests;

/// <summary>
/// A bench context with a fresh database on a throwaway cluster, as the workloads get theirs. Without PostgreSQL
/// the test is skipped with the reason, except under CI (<c>CI=true</c>), where that fails.
/// </summary>
internal static class BenchPostgres
{
    public static async Task<(BenchContext Context, string Url)> DatabaseAsync()
    {
        var context = new BenchContext([], TextWriter.Null);
        var (url, reason) = await context.PostgresDatabaseAsync();
        if (url is not null)
        {
            return (context, url);
        }

        await context.DisposeAsync();
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason);
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable");
    }
}
