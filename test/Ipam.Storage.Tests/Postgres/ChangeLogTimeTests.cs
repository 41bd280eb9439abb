using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Storage.Postgres;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Times in the change log are the times stored in the rows they describe, though the log's times reach PostgreSQL
/// apart from the rows' (in arrays where a commit appends several changes), and .NET times are finer than a microsecond.
/// </summary>
public sealed class ChangeLogTimeTests
{
    [Fact]
    public async Task AllocationChanges_TimeBelowAMicrosecond_CreatedAtAndHeldSinceEqualTheRowsCreatedAt()
    {
        var cluster = await SharedPostgres.GetAsync();
        await using var store = new PostgresStore(cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync()));
        await store.MigrateAsync();
        var clock = new SubMicrosecondClock();
        var cache = new FreeSpaceCache(clock);
        var changes = new ChangeLog(new AnonymousCaller(), clock);
        var allocations = new AllocationService(store, cache, changes, new SeededRandomSource(1), clock);
        var subnets = new SubnetService(store, cache, new PrefixAllocator(new PrefixIndexCache()), changes, clock);
        var subnetId = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.30.0.0/24") })).Subnet.Id;

        var address = Assert.Single(await allocations.AllocateAsync(subnetId, new AllocationRequest())).Address;
        var stored = (await allocations.GetAsync(subnetId, address)).CreatedAt;
        await allocations.ReleaseAsync(subnetId, address);

        var log = await store.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery(), ct));
        var created = Assert.Single(log, c => c.Type == ChangeTypes.AllocationCreated);
        var released = Assert.Single(log, c => c.Type == ChangeTypes.AllocationReleased);
        Assert.Equal(stored, created.At);
        Assert.Equal(stored, released.HeldSince);
    }
}
