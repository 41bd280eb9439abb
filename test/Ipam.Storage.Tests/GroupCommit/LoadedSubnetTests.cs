using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Errors;
using Ipam.Storage.Tests.Contract;
using Ipam.SubnetPools;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// A subnet that only takes specific addresses has no index, and is kept by revision once loaded, so that the next
/// request need not read it again. A unit that loaded it and is undone drops it: on SQLite a revision taken by a
/// transaction that rolls back is given out again.
/// </summary>
public abstract class LoadedSubnetTests(StoreKind kind) : StoreTests(kind)
{
    private FreeSpaceCache _cache = null!;
    private AllocationService _allocations = null!;
    private SubnetService _subnets = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _cache = new FreeSpaceCache(TimeProvider.System);
        var changes = new ChangeLog(new AnonymousCaller(), TimeProvider.System);
        _allocations = new AllocationService(Store, _cache, changes, new SeededRandomSource(7), TimeProvider.System);
        _subnets = new SubnetService(Store, _cache, new PrefixAllocator(new PrefixIndexCache()), changes, TimeProvider.System);
    }

    [Fact]
    public async Task A_specific_allocation_keeps_its_subnet_for_the_revision_it_read_without_building_an_index()
    {
        var subnet = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.61.0.0/24") }, TestContext.Current.CancellationToken)).Subnet;

        await _allocations.AllocateAsync(subnet.Id, new AllocationRequest { Address = IpAddress.Parse("10.61.0.5") }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(_cache.Cached(subnet.Id));
        Assert.True(_cache.TryGetSubnet(subnet.Id, subnet.Revision, out var kept));
        Assert.Equal(subnet.Cidr, kept.Cidr);
        Assert.False(_cache.TryGetSubnet(subnet.Id, subnet.Revision + 1, out _));
    }

    [Fact]
    public async Task A_unit_that_loaded_the_subnet_and_is_undone_does_not_keep_it()
    {
        var subnet = (await _subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.62.0.0/24") }, TestContext.Current.CancellationToken)).Subnet;

        // The release loads the subnet, then finds nothing to release: its unit fails and is undone.
        await Assert.ThrowsAsync<AllocationNotFoundException>(() => _allocations.ReleaseAsync(subnet.Id, IpAddress.Parse("10.62.0.5"), TestContext.Current.CancellationToken));

        Assert.False(_cache.TryGetSubnet(subnet.Id, subnet.Revision, out _));
        Assert.Equal(0, _cache.LoadedSubnetCount);
    }
}

public sealed class LoadedSubnetTestsOnSqlite() : LoadedSubnetTests(StoreKind.Sqlite);

public sealed class LoadedSubnetTestsOnPostgres() : LoadedSubnetTests(StoreKind.Postgres);
