using Ipam.Addressing;

namespace Ipam.Storage.Tests.Contract;

public abstract class AddressScopeStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task InsertAddressScope_ThenFind_ListAndDelete()
    {
        var v4 = Samples.Scope();
        var v6 = Samples.Scope(IpVersion.V6, tenant: null);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertAddressScopeAsync(v4, ct);
            await s.InsertAddressScopeAsync(v6, ct);
        });

        Assert.Equal(v4, await ReadAsync((s, ct) => s.FindAddressScopeAsync(v4.Id, RowLock.None, ct)));
        Assert.Equal(v6, await WriteAsync((s, ct) => s.FindAddressScopeAsync(v6.Id, RowLock.ForUpdate, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindAddressScopeAsync(Guid.NewGuid(), RowLock.None, ct)));

        var first = await ReadAsync((s, ct) => s.ListAddressScopesAsync(new AddressScopeQuery { Limit = 1 }, ct));
        var rest = await ReadAsync((s, ct) => s.ListAddressScopesAsync(new AddressScopeQuery { After = first[0].Id }, ct));
        var onlyV6 = await ReadAsync((s, ct) => s.ListAddressScopesAsync(new AddressScopeQuery { IpVersion = IpVersion.V6 }, ct));
        Assert.Equal(Samples.InStoreOrder([v4.Id, v6.Id]), first.Concat(rest).Select(s => s.Id));
        Assert.Equal([v6], onlyV6);

        Assert.True(await WriteAsync((s, ct) => s.DeleteAddressScopeAsync(v4.Id, ct)));
        Assert.False(await WriteAsync((s, ct) => s.DeleteAddressScopeAsync(v4.Id, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindAddressScopeAsync(v4.Id, RowLock.None, ct)));
    }

    [Fact]
    public async Task ScopePools_CountedAndTheirPrefixesCheckedForOverlap()
    {
        var scope = Samples.Scope();
        var pool = Samples.Pool("10.50.0.0/16 10.60.0.0/24", scope.Id);
        var other = Samples.Pool("10.70.0.0/16", scope.Id);
        var outside = Samples.Pool("10.80.0.0/16");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertAddressScopeAsync(scope, ct);
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetPoolAsync(other, ct);
            await s.InsertSubnetPoolAsync(outside, ct);
        });

        Assert.Equal(2, await ReadAsync((s, ct) => s.CountAsync(RowCount.SubnetPoolsOf(scope.Id), ct)));
        Assert.Equal((pool.Id, Cidr.Parse("10.60.0.0/24")), await OverlapAsync(scope.Id, other.Id, "10.60.0.128/25"));
        Assert.Equal((pool.Id, Cidr.Parse("10.50.0.0/16")), await OverlapAsync(scope.Id, other.Id, "10.0.0.0/8"));
        Assert.Null(await OverlapAsync(scope.Id, pool.Id, "10.60.0.0/24"));
        Assert.Null(await OverlapAsync(scope.Id, other.Id, "10.80.0.0/16"));
    }

    private Task<(Guid SubnetPoolId, Cidr Prefix)?> OverlapAsync(Guid scopeId, Guid exceptPoolId, string range) =>
        WriteAsync((s, ct) => s.FindScopePrefixOverlappingAsync(scopeId, exceptPoolId, Cidr.Parse(range).Range, ct));
}

public sealed class AddressScopeStoreTestsOnSqlite() : AddressScopeStoreTests(StoreKind.Sqlite);

public sealed class AddressScopeStoreTestsOnPostgres() : AddressScopeStoreTests(StoreKind.Postgres);
