using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.History;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>The history reads: allocation ends from the log by address, the holders of an address, an owner's allocations.</summary>
public abstract class HistoryStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task ListAllocationEnds_NewestFirst_OfThatSubnetAndAddressOnly()
    {
        var subnet = await InsertSubnetAsync("10.40.0.0/24");
        var other = await InsertSubnetAsync("10.40.0.0/24");
        var address = subnet.Cidr.First.Add(5u);
        await RecordAsync(
            End(subnet, address, "first", 0, 10, ReleaseReasons.Released),
            End(other, address, "other subnet", 0, 20, ReleaseReasons.Released),
            End(subnet, address.Add(1u), "other address", 0, 20, ReleaseReasons.Released),
            Created(subnet, address, "created", 30),
            End(subnet, address, "second", 30, 40, ReleaseReasons.Expired),
            End(subnet, address, "third", 50, 60, ReleaseReasons.SubnetDeleted));

        var all = await ReadAsync((s, ct) => s.ListAllocationEndsAsync(subnet.Id, address, long.MaxValue, 10, ct));
        var first = await ReadAsync((s, ct) => s.ListAllocationEndsAsync(subnet.Id, address, long.MaxValue, 1, ct));
        var after = await ReadAsync((s, ct) => s.ListAllocationEndsAsync(subnet.Id, address, first[0].Sequence, 10, ct));

        Assert.Equal(["third", "second", "first"], all.Select(OwnerOf));
        Assert.True(all[0].Sequence > all[1].Sequence && all[1].Sequence > all[2].Sequence);
        Assert.Equal(["third"], first.Select(OwnerOf));
        Assert.Equal(["second", "first"], after.Select(OwnerOf));
        var expired = all[1];
        Assert.Equal((ChangeTypes.AllocationExpired, ReleaseReasons.Expired, "system"), (expired.Type, expired.Reason, expired.Actor));
        Assert.Equal((subnet.Id, address, subnet.Cidr), (expired.SubnetId, expired.Address, expired.Cidr));
        Assert.Equal(Samples.Now.AddSeconds(30), expired.HeldSince);
        Assert.Equal(Samples.Now.AddSeconds(40), expired.At);
    }

    [Fact]
    public async Task ListAllocationEndsSpanning_HeldSinceThroughBeforeTheEnd_InAnySubnet()
    {
        var subnet = await InsertSubnetAsync("10.41.0.0/24");
        var gone = Samples.Subnet("10.41.0.0/16");
        var address = subnet.Cidr.First.Add(5u);
        await RecordAsync(
            End(subnet, address, "before", 0, 10, ReleaseReasons.Released),
            End(subnet, address, "starts at", 20, 30, ReleaseReasons.Released),
            End(gone, address, "deleted subnet", 5, 40, ReleaseReasons.SubnetDeleted),
            End(subnet, address, "ends at", 15, 20, ReleaseReasons.Expired),
            End(subnet, address.Add(1u), "other address", 0, 50, ReleaseReasons.Released));

        var at20 = await ReadAsync((s, ct) => s.ListAllocationEndsSpanningAsync(Holders(address, Samples.Now.AddSeconds(20)), ct));
        var at10 = await ReadAsync((s, ct) => s.ListAllocationEndsSpanningAsync(Holders(address, Samples.Now.AddSeconds(10)), ct));

        Assert.Equal(Samples.InStoreOrder([subnet.Id, gone.Id]), at20.Select(c => c.SubnetId!.Value));
        Assert.Equal(["starts at"], at20.Where(c => c.SubnetId == subnet.Id).Select(OwnerOf));
        Assert.Equal(["deleted subnet"], at10.Select(OwnerOf));
        Assert.Equal(gone.Cidr, at10[0].Cidr);
    }

    [Fact]
    public async Task ListAllocationEndsSpanning_Paged_BySubnetThenPosition()
    {
        var subnets = new List<Subnet>();
        for (var i = 0; i < 3; i++)
        {
            subnets.Add(Samples.Subnet("10.45.0.0/24"));
        }

        var address = subnets[0].Cidr.First.Add(5u);

        // Two ends in one subnet both span the time only where the log was written wrong; the order still holds then.
        await RecordAsync(
        [
            .. subnets.Select(s => End(s, address, "first in " + s.Id, 0, 20, ReleaseReasons.Released)),
            .. subnets.Select(s => End(s, address, "second in " + s.Id, 5, 30, ReleaseReasons.SubnetDeleted)),
        ]);

        var pages = await AllPagesAsync<Change, HolderKey>(
            after => ReadAsync((s, ct) => s.ListAllocationEndsSpanningAsync(Holders(address, Samples.Now.AddSeconds(10)) with { After = after, Limit = 2 }, ct)),
            change => new HolderKey(change.SubnetId!.Value, change.Sequence),
            limit: 2);

        var expected = Samples.InStoreOrder(subnets.Select(s => s.Id)).SelectMany(id => new[] { "first in " + id, "second in " + id });
        Assert.Equal(expected, pages.Select(OwnerOf));
    }

    [Fact]
    public async Task ListAddressHolders_Paged_BySubnet_AndMadeByTheTime()
    {
        var subnets = new List<Subnet>();
        for (var i = 0; i < 5; i++)
        {
            subnets.Add(await InsertSubnetAsync("10.46.0.0/24"));
        }

        var address = IpAddress.Parse("10.46.0.9");
        var made = subnets.Select((s, i) => Held(s, address, "in " + s.Id) with { CreatedAt = Samples.Now.AddSeconds(10 * i) }).ToList();
        await WriteAsync(async (s, ct) =>
        {
            foreach (var allocation in made)
            {
                await s.TryInsertAllocationAsync(allocation, ct);
            }
        });

        var pages = await AllPagesAsync<AllocationPeriod, HolderKey>(
            after => ReadAsync((s, ct) => s.ListAddressHoldersAsync(new AddressHoldersQuery { Address = address, After = after, Limit = 2 }, ct)),
            HolderKey.Of,
            limit: 2);

        var madeBy20 = await ReadAsync((s, ct) => s.ListAddressHoldersAsync(Holders(address, Samples.Now.AddSeconds(20)), ct));
        var afterTheFirst = await ReadAsync((s, ct) => s.ListAddressHoldersAsync(
            new AddressHoldersQuery { Address = address, After = new HolderKey(pages[0].SubnetId, AllocationPeriod.Current) }, ct));
        var fromTheFirst = await ReadAsync((s, ct) => s.ListAddressHoldersAsync(
            new AddressHoldersQuery { Address = address, After = new HolderKey(pages[0].SubnetId, 7) }, ct));

        Assert.Equal(Samples.InStoreOrder(subnets.Select(s => s.Id)), pages.Select(p => p.SubnetId));
        Assert.Equal(Samples.InStoreOrder(subnets.Take(3).Select(s => s.Id)), madeBy20.Select(p => p.SubnetId));
        Assert.Equal(pages.Skip(1).Select(p => p.SubnetId), afterTheFirst.Select(p => p.SubnetId));
        Assert.Equal(pages.Select(p => p.SubnetId), fromTheFirst.Select(p => p.SubnetId));
    }

    [Fact]
    public async Task ListAddressHolders_EverySubnetContainingTheAddress_OfItsFamilyOnly()
    {
        var wide = await InsertSubnetAsync("10.42.0.0/16");
        var narrow = await InsertSubnetAsync("10.42.0.0/24");
        var twin = await InsertSubnetAsync("10.42.0.0/24");
        var host = await InsertSubnetAsync("10.42.0.9/32");
        var all = await InsertSubnetAsync("0.0.0.0/0");
        var unrelated = await InsertSubnetAsync("10.43.0.0/24");
        var v6All = await InsertSubnetAsync("::/0");
        var empty = await InsertSubnetAsync("10.42.0.0/25");
        var address = IpAddress.Parse("10.42.0.9");
        var holders = new[] { wide, narrow, twin, host, all }.ToDictionary(s => s.Id, s => Held(s, address, "in " + s.Cidr));
        await WriteAsync(async (s, ct) =>
        {
            foreach (var allocation in holders.Values)
            {
                await s.TryInsertAllocationAsync(allocation, ct);
            }

            await s.TryInsertAllocationAsync(Held(unrelated, IpAddress.Parse("10.43.0.9"), "unrelated"), ct);
            await s.TryInsertAllocationAsync(Held(narrow, address.Add(1u), "neighbour"), ct);

            // The same 16-byte key as 0.0.0.0/0's network and 10.42.0.9, in the IPv6 family.
            await s.TryInsertAllocationAsync(Held(v6All, new IpAddress(IpVersion.V6, address.Value), "ipv6"), ct);
        });

        var found = await ReadAsync((s, ct) => s.ListAddressHoldersAsync(new AddressHoldersQuery { Address = address }, ct));

        Assert.Equal(Samples.InStoreOrder(holders.Keys), found.Select(p => p.SubnetId));
        Assert.DoesNotContain(found, p => p.SubnetId == empty.Id);
        foreach (var period in found)
        {
            var allocation = holders[period.SubnetId];
            Assert.Equal((allocation.Address, allocation.Owner, allocation.Description, allocation.CreatedAt, allocation.CreatedBy),
                (period.Address, period.Owner, period.Description, period.AllocatedAt, period.AllocatedBy));
            Assert.Equal("in " + period.Cidr, period.Owner);
            Assert.Null(period.ReleasedAt);
        }
    }

    [Fact]
    public async Task ListOwnerAllocations_AcrossSubnets_PagedBySubnetThenAddress()
    {
        var subnets = new List<Subnet>();
        foreach (var cidr in new[] { "10.44.0.0/24", "2001:db8:44::/64", "10.44.0.0/24" })
        {
            subnets.Add(await InsertSubnetAsync(cidr));
        }

        await WriteAsync(async (s, ct) =>
        {
            foreach (var subnet in subnets)
            {
                foreach (var offset in new[] { 300, 7, 70 })
                {
                    await s.InsertLoggedAsync(Samples.Allocation(subnet, offset % 250, owner: "web"), ct);
                }

                await s.InsertLoggedAsync(Samples.Allocation(subnet, 9, owner: "db"), ct);
                await s.InsertLoggedAsync(Samples.Allocation(subnet, 11, owner: null), ct);
            }
        });
        var expected = subnets.OrderBy(s => s.Id.ToString("D"), StringComparer.Ordinal)
            .SelectMany(s => new[] { 7, 50, 70 }.Select(o => Samples.Allocation(s, o, owner: "web")))
            .ToList();

        var pages = await AllPagesAsync<Allocation, AllocationKey>(
            after => ReadAsync((s, ct) => s.ListOwnerAllocationsAsync(new OwnerAllocationQuery { Owner = "web", After = after, Limit = 4 }, ct)),
            allocation => new AllocationKey(allocation.SubnetId, allocation.Address),
            limit: 4);

        Assert.Equal(expected, pages);
        Assert.Empty(await ReadAsync((s, ct) => s.ListOwnerAllocationsAsync(new OwnerAllocationQuery { Owner = "nobody" }, ct)));
    }

    /// <summary>Every page of a keyset list, each read after the key of the previous page's last item, until a page is short.</summary>
    private static async Task<List<T>> AllPagesAsync<T, TKey>(Func<TKey?, Task<IReadOnlyList<T>>> readPage, Func<T, TKey> keyOf, int limit)
        where TKey : struct
    {
        var all = new List<T>();
        TKey? after = null;
        while (true)
        {
            var page = await readPage(after);
            all.AddRange(page);
            if (page.Count < limit)
            {
                return all;
            }

            after = keyOf(page[^1]);
        }
    }

    private static AddressHoldersQuery Holders(IpAddress address, DateTimeOffset at) => new() { Address = address, At = at };

    private static Allocation Held(Subnet subnet, IpAddress address, string owner) =>
        Samples.Allocation(subnet, 0, owner) with { Address = address, CreatedBy = "token-1" };

    private static Change Created(Subnet subnet, IpAddress address, string owner, int at) => new()
    {
        Type = ChangeTypes.AllocationCreated,
        At = Samples.Now.AddSeconds(at),
        Actor = Actors.Anonymous,
        SubnetId = subnet.Id,
        Address = address,
        Cidr = subnet.Cidr,
        After = $$"""{"owner":"{{owner}}"}""",
    };

    private static Change End(Subnet subnet, IpAddress address, string owner, int heldSince, int at, string reason) => new()
    {
        Type = reason == ReleaseReasons.Expired ? ChangeTypes.AllocationExpired : ChangeTypes.AllocationReleased,
        At = Samples.Now.AddSeconds(at),
        Actor = reason == ReleaseReasons.Expired ? Actors.System : Actors.Anonymous,
        SubnetId = subnet.Id,
        Address = address,
        Cidr = subnet.Cidr,
        Reason = reason,
        HeldSince = Samples.Now.AddSeconds(heldSince),
        Before = $$"""{"owner":"{{owner}}"}""",
    };

    private static string? OwnerOf(Change change) => System.Text.Json.JsonDocument.Parse(change.Before!).RootElement.GetProperty("owner").GetString();

    private Task RecordAsync(params Change[] changes) =>
        WriteAsync((s, _) =>
        {
            foreach (var change in changes)
            {
                s.RecordChange(change);
            }

            return ValueTask.CompletedTask;
        });

    private async Task<Subnet> InsertSubnetAsync(string cidr)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }
}

public sealed class HistoryStoreTestsOnSqlite() : HistoryStoreTests(StoreKind.Sqlite);

public sealed class HistoryStoreTestsOnPostgres() : HistoryStoreTests(StoreKind.Postgres);
