using System.Diagnostics;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Ipam.Storage.Sql;

namespace Ipam.Api.Tests.Observability;

/// <summary>
/// The first allocation in a subnet builds its free-space index from the allocation rows in a read unit, before
/// its write: the write transaction (on SQLite, the only writer) never waits for the build, however large the
/// subnet. Seen in the traces: the statement that reads a subnet's addresses runs under a store read's span.
/// </summary>
[Collection(nameof(ObservabilityCollection))]
public sealed class IndexBuildOutsideWriteTests
{
    private const string ReadsAddresses = "SELECT ip FROM allocations WHERE subnet_id";

    [Fact]
    public async Task FirstAllocation_BuildsTheIndexInAReadUnit_NotInTheWriteTransaction()
    {
        using var trace = new NpgsqlCommandTrace(TracedSources.RequestToStore);
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres);

        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.66.0.0/24" }))["id"]!;
        await server.AllocateAsync(id);
        await server.AllocateAsync(id);
        root.Stop();

        var builds = trace.CommandsOf(root).Where(c => NpgsqlCommandTrace.Text(c).Contains(ReadsAddresses, StringComparison.Ordinal)).ToList();
        var build = Assert.Single(builds);
        Assert.Equal("ipam.store.read", StoreSpanOf(build));
    }

    /// <summary>The store span a command ran under: a read's, or a write batch's.</summary>
    private static string? StoreSpanOf(Activity command)
    {
        for (var parent = command.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source.Name == StoreTelemetry.Name)
            {
                return parent.OperationName;
            }
        }

        return null;
    }
}
