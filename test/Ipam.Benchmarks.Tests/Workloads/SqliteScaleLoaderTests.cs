using Ipam.Api.Hosting;

namespace Ipam.Benchmarks.Tests.Workloads;

public sealed class SqliteScaleLoaderTests : ScaleLoaderTests
{
    protected override Task<DatabaseLocation> NewDatabaseAsync(string directory) =>
        Task.FromResult(new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")));
}
