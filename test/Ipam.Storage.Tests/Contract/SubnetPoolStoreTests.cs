using Ipam.Addressing;
using Ipam.Errors;

namespace Ipam.Storage.Tests.Contract;

public abstract class SubnetPoolStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task InsertSubnetPool_ThenFind_ReturnsEveryFieldWithPrefixesAscending()
    {
        var pool = Samples.Pool("10.20.0.0/16 10.30.0.0/20");
        var bare = Samples.Pool("2001:db8:20::/48", tenant: null) with { DefaultQuota = null };
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetPoolAsync(bare, ct);
        });

        Samples.AssertSame(pool, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        Samples.AssertSame(bare, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(bare.Id, RowLock.None, ct)));
        Samples.AssertSame(pool, await WriteAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.ForUpdate, ct)));
        Assert.Null(await WriteAsync((s, ct) => s.FindSubnetPoolAsync(Guid.NewGuid(), RowLock.ForUpdate, ct)));
    }

    [Fact]
    public async Task UpdateSubnetPool_ReplacesFieldsAndPrefixes()
    {
        var scope = Samples.Scope();
        var pool = Samples.Pool("10.21.0.0/16");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertAddressScopeAsync(scope, ct);
            await s.InsertSubnetPoolAsync(pool, ct);
        });
        var updated = pool with
        {
            Name = "renamed",
            Prefixes = [Cidr.Parse("10.21.0.0/17"), Cidr.Parse("10.40.0.0/24")],
            DefaultPrefixLength = 26,
            MinPrefixLength = 20,
            MaxPrefixLength = 30,
            DefaultQuota = null,
            AddressScopeId = scope.Id,
            Revision = pool.Revision + 1,
        };

        await WriteAsync((s, ct) => s.UpdateSubnetPoolAsync(updated, ct));

        Samples.AssertSame(updated, await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
    }

    [Fact]
    public async Task UpdateSubnetPool_Unknown_ThrowsSubnetPoolNotFound() =>
        await Assert.ThrowsAsync<SubnetPoolNotFoundException>(() => WriteAsync((s, ct) => s.UpdateSubnetPoolAsync(Samples.Pool("10.22.0.0/16"), ct)));

    [Fact]
    public async Task DeleteSubnetPool_TrueOnceThenFalse_PrefixesGone()
    {
        var pool = Samples.Pool("10.23.0.0/16");
        await WriteAsync((s, ct) => s.InsertSubnetPoolAsync(pool, ct));

        Assert.True(await WriteAsync((s, ct) => s.DeleteSubnetPoolAsync(pool.Id, ct)));

        Assert.False(await WriteAsync((s, ct) => s.DeleteSubnetPoolAsync(pool.Id, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        await WriteAsync((s, ct) => s.InsertSubnetPoolAsync(pool with { Prefixes = [Cidr.Parse("10.24.0.0/16")] }, ct));
        Assert.Equal([Cidr.Parse("10.24.0.0/16")], (await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)))!.Prefixes);
    }

    [Fact]
    public async Task ListSubnetPools_PagesInIdOrder_FiltersByScopeTenantAndVersion()
    {
        var scope = Samples.Scope();
        var inScope = Samples.Pool("10.25.0.0/16", scope.Id);
        var otherTenant = Samples.Pool("10.26.0.0/16", tenant: "tenant-b");
        var v6 = Samples.Pool("2001:db8:25::/48");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertAddressScopeAsync(scope, ct);
            await s.InsertSubnetPoolAsync(inScope, ct);
            await s.InsertSubnetPoolAsync(otherTenant, ct);
            await s.InsertSubnetPoolAsync(v6, ct);
        });
        var ordered = Samples.InStoreOrder([inScope.Id, otherTenant.Id, v6.Id]);

        var first = await ReadAsync((s, ct) => s.ListSubnetPoolsAsync(new SubnetPoolQuery { Limit = 2 }, ct));
        var rest = await ReadAsync((s, ct) => s.ListSubnetPoolsAsync(new SubnetPoolQuery { After = first[^1].Id }, ct));

        Assert.Equal(ordered, first.Concat(rest).Select(p => p.Id));
        Assert.Equal(2, first.Count);
        Samples.AssertSame(inScope, first.Concat(rest).Single(p => p.Id == inScope.Id));
        Assert.Equal([inScope.Id], await IdsAsync(new SubnetPoolQuery { AddressScopeId = scope.Id }));
        Assert.Equal([otherTenant.Id], await IdsAsync(new SubnetPoolQuery { TenantId = "tenant-b" }));
        Assert.Equal([v6.Id], await IdsAsync(new SubnetPoolQuery { IpVersion = IpVersion.V6 }));
    }

    [Fact]
    public async Task PoolSubnets_CidrsCountsAndPerTenantLengths()
    {
        var pool = Samples.Pool("10.27.0.0/16");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.27.8.0/24", pool.Id), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.27.0.0/24", pool.Id), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.27.4.0/22", pool.Id), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.27.9.0/24", pool.Id, tenant: null), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.27.10.0/28", pool.Id, tenant: "tenant-b"), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.28.0.0/24"), ct);
        });

        var cidrs = await WriteAsync((s, ct) => s.ListPoolSubnetCidrsAsync(pool.Id, IpVersion.V4, ct));
        var tenantA = await WriteAsync((s, ct) => s.CountPoolSubnetsByPrefixLengthAsync(pool.Id, "tenant-a", ct));
        var noTenant = await WriteAsync((s, ct) => s.CountPoolSubnetsByPrefixLengthAsync(pool.Id, null, ct));

        Assert.Equal(["10.27.0.0/24", "10.27.4.0/22", "10.27.8.0/24", "10.27.9.0/24", "10.27.10.0/28"], cidrs.Select(c => c.ToString()));
        Assert.Equal(5, await ReadAsync((s, ct) => s.CountAsync(RowCount.SubnetsOf(pool.Id), ct)));
        Assert.Equal([(22, 1L), (24, 2L)], tenantA.Order());
        Assert.Equal([(24, 1L)], noTenant);
    }

    [Theory]
    [InlineData("10.29.4.0/24", "10.29.4.0/22")]
    [InlineData("10.29.0.0/20", "10.29.4.0/22")]
    [InlineData("10.29.7.255/32", "10.29.4.0/22")]
    [InlineData("10.29.8.0/24", null)]
    [InlineData("10.29.3.0/24", null)]
    public async Task FindPoolSubnetOverlapping_FindsTheSubnetStartingInsideOrReachingIn(string range, string? expected)
    {
        var pool = Samples.Pool("10.29.0.0/16");
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.29.4.0/22", pool.Id), ct);
            await s.InsertSubnetAsync(Samples.Subnet("10.29.4.0/22"), ct);
        });

        var found = await WriteAsync((s, ct) => s.FindPoolSubnetOverlappingAsync(pool.Id, Cidr.Parse(range).Range, ct));

        Assert.Equal(expected, found?.ToString());
    }

    private async Task<List<Guid>> IdsAsync(SubnetPoolQuery query) =>
        [.. (await ReadAsync((s, ct) => s.ListSubnetPoolsAsync(query, ct))).Select(p => p.Id)];
}

public sealed class SubnetPoolStoreTestsOnSqlite() : SubnetPoolStoreTests(StoreKind.Sqlite);

public sealed class SubnetPoolStoreTestsOnPostgres() : SubnetPoolStoreTests(StoreKind.Postgres);
