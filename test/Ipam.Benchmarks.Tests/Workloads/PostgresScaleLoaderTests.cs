using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests.Workloads;

/// <summary>The loader's tests on a fresh database of a throwaway cluster (binary COPY, triggers disabled, then recounted).</summary>
public sealed class PostgresScaleLoaderTests : ScaleLoaderTests
{
    private BenchContext? _context;

    protected override async Task<DatabaseLocation> NewDatabaseAsync(string directory)
    {
        (_context, var url) = await BenchPostgres.DatabaseAsync();
        return new DatabaseLocation(DatabaseLocation.PostgreSql, url);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }
}
