using CsCheck;
using Ipam.Changes;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// Lists by owner, in one subnet and across subnets, give exactly the allocations that have the owner, at every commit,
/// whatever part of the log the fold has taken. On SQLite the owners live in entries the fold writes (migration 0024) and
/// a list adds the log past the fold; on PostgreSQL in an index the commit writes. Both must give the same pages.
/// </summary>
public abstract class OwnerListStoreTests(StoreKind kind) : StoreTests(kind)
{
    private static readonly string?[] Owners = ["a", "b", null];

    [Fact]
    public async Task ListsByOwner_RandomChangesAndFolds_EqualTheAllocationsThatHaveTheOwner()
    {
        var operations = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 12], Gen.Int[0, 29], Gen.Bool).Array[1, 30];
        await operations.SampleAsync(async ops =>
        {
            Subnet[] subnets = [await FreshSubnetAsync("10.47.0.0/27", "tenant-a", first: true), await FreshSubnetAsync("10.47.1.0/27", "tenant-b", first: false)];
            var model = new Dictionary<(int Subnet, int Offset), (string? Owner, bool Expiring)>();
            var transaction = new List<(int Op, int A, int B)>();
            for (var i = 0; i < ops.Length; i++)
            {
                var (op, a, b, commitsHere) = ops[i];
                transaction.Add((op, a, b));
                if (!commitsHere && i < ops.Length - 1)
                {
                    continue;
                }

                var changes = transaction.ToList();
                transaction.Clear();
                await WriteAsync(async (s, ct) =>
                {
                    foreach (var (o, x, y) in changes)
                    {
                        await ChangeAsync(s, subnets, o, x, y, ct);
                    }
                });
                foreach (var (o, x, y) in changes)
                {
                    ChangeModel(model, o, x, y);
                }

                // Op 7 folds, in a transaction of its own, a few changes or all of them.
                foreach (var (_, x, _) in changes.Where(c => c.Op == 7))
                {
                    await FoldAsync(limit: x % 3 == 0 ? 10_000 : (x % 4) + 1);
                }

                await AssertListsAsync(subnets, model);
            }
        }, iter: 40, threads: 1);
    }

    /// <summary>
    /// Entries edited behind the store's back are counted (only those the log past the fold leaves alone: the lists check
    /// the others against the allocations anyway) and a rebuild sets them from the allocations. An index cannot drift.
    /// </summary>
    [Fact]
    public async Task OwnerEntries_EditedBySql_CountedAndRebuilt()
    {
        var subnet = await FreshSubnetAsync("10.48.0.0/27", "tenant-a", first: true);
        await WriteAsync(async (s, ct) =>
        {
            foreach (var offset in new[] { 2, 3, 5 })
            {
                await s.InsertLoggedAsync(Samples.Allocation(subnet, offset, owner: "web"), ct);
            }
        });
        await FoldAsync();
        await WriteAsync(async (s, ct) => await s.InsertLoggedAsync(Samples.Allocation(subnet, 7, owner: "web"), ct));
        Assert.Equal(0L, await ReadAsync((s, ct) => s.CountOwnerEntryMismatchesAsync(ct)));

        if (Kind == StoreKind.Sqlite)
        {
            await ExecuteAsync($"DELETE FROM allocation_owners WHERE ip = x'{Convert.ToHexString(subnet.Cidr.First.Add(2u).ToKey())}'");
            await ExecuteAsync($"INSERT INTO allocation_owners (owner, subnet_id, ip) VALUES ('ghost', '{subnet.Id}', x'{Convert.ToHexString(subnet.Cidr.First.Add(9u).ToKey())}')");
            Assert.Equal(2L, await ReadAsync((s, ct) => s.CountOwnerEntryMismatchesAsync(ct)));
            Assert.Equal([3, 5, 7], await WebOffsetsAsync(subnet));
        }

        await WriteAsync((s, ct) => s.RebuildOwnerEntriesAsync(ct));

        Assert.Equal(0L, await ReadAsync((s, ct) => s.CountOwnerEntryMismatchesAsync(ct)));
        Assert.Equal([2, 3, 5, 7], await WebOffsetsAsync(subnet));
        Assert.Empty(await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = subnet.Id, Owner = "ghost" }, ct)));
    }

    private async Task<List<int>> WebOffsetsAsync(Subnet subnet) =>
        [.. (await ReadAsync((s, ct) => s.ListAllocationsAsync(new AllocationQuery { SubnetId = subnet.Id, Owner = "web" }, ct)))
            .Select(a => (int)(a.Address.Value - subnet.Cidr.First.Value))];

    /// <summary>
    /// Every page of every list by owner, against the model. Pages of one and two: an entry out of date among the first
    /// ones the store reads must not make a page short, which would end the list early.
    /// </summary>
    private async Task AssertListsAsync(Subnet[] subnets, Dictionary<(int Subnet, int Offset), (string? Owner, bool Expiring)> model)
    {
        foreach (var owner in Owners.OfType<string>())
        {
            for (var s = 0; s < subnets.Length; s++)
            {
                var subnet = subnets[s];
                var expected = model.Where(e => e.Key.Subnet == s && e.Value.Owner == owner).Select(e => e.Key.Offset).Order()
                    .Select(o => subnet.Cidr.First.Add((uint)o)).ToList();
                var listed = new List<Addressing.IpAddress>();
                Addressing.IpAddress? after = null;
                while (true)
                {
                    var page = await ReadAsync((session, ct) =>
                        session.ListAllocationsAsync(new AllocationQuery { SubnetId = subnet.Id, Owner = owner, After = after, Limit = 1 }, ct));
                    Assert.All(page, a => Assert.Equal(owner, a.Owner));
                    listed.AddRange(page.Select(a => a.Address));
                    if (page.Count < 1)
                    {
                        break;
                    }

                    after = page[^1].Address;
                }

                Assert.Equal(expected, listed);
            }

            foreach (var tenant in new[] { null, "tenant-a" })
            {
                var expected = model.Where(e => e.Value.Owner == owner && (tenant is null || subnets[e.Key.Subnet].TenantId == tenant))
                    .OrderBy(e => subnets[e.Key.Subnet].Id.ToString("D"), StringComparer.Ordinal).ThenBy(e => e.Key.Offset)
                    .Select(e => new AllocationKey(subnets[e.Key.Subnet].Id, subnets[e.Key.Subnet].Cidr.First.Add((uint)e.Key.Offset)))
                    .ToList();
                var listed = new List<AllocationKey>();
                AllocationKey? after = null;
                while (true)
                {
                    var page = await ReadAsync((session, ct) =>
                        session.ListOwnerAllocationsAsync(new OwnerAllocationQuery { Owner = owner, TenantId = tenant, After = after, Limit = 2 }, ct));
                    listed.AddRange(page.Select(a => new AllocationKey(a.SubnetId, a.Address)));
                    if (page.Count < 2)
                    {
                        break;
                    }

                    after = listed[^1];
                }

                Assert.Equal(expected, listed);
            }
        }
    }

    /// <summary>
    /// Operation <paramref name="op"/>: 0–2 insert address a of subnet b % 2 for owner b % 3 (an expired reservation when
    /// b % 5 is 0), 3 release it, 4 expire the subnet's run-out reservations, 5 change its description (the owner stays),
    /// 6 delete every allocation of the subnet, 7 fold (after the transaction; nothing here).
    /// </summary>
    private static async ValueTask ChangeAsync(IIpamSession s, Subnet[] subnets, int op, int a, int b, CancellationToken ct)
    {
        var subnet = subnets[b % 2];
        var address = subnet.Cidr.First.Add((uint)a);
        switch (op)
        {
            case 0 or 1 or 2:
                await s.InsertLoggedAsync(Samples.Allocation(subnet, a, owner: Owners[b % 3], expires: b % 5 == 0 ? Samples.Now : null), ct);
                break;
            case 3:
                await s.DeleteLoggedAsync(subnet.Id, address, ct);
                break;
            case 4:
                await s.DeleteExpiredLoggedAsync(Samples.Now, subnet.Id, ct);
                break;
            case 5:
                if (await s.FindAllocationAsync(subnet.Id, address, ct) is { } current
                    && await s.UpdateAllocationAsync(current, "changed " + b, current.ExpiresAt, ct) is { } updated)
                {
                    s.RecordChange(new Change
                    {
                        Type = ChangeTypes.AllocationUpdated,
                        At = Samples.Now,
                        Actor = "test",
                        SubnetId = subnet.Id,
                        Address = address,
                        Before = ChangeSnapshots.Of(current),
                        After = ChangeSnapshots.Of(updated),
                    });
                }

                break;
            case 6:
                await s.DeleteSubnetAllocationsLoggedAsync(subnet, ct);
                break;
            default:
                break;
        }
    }

    private static void ChangeModel(Dictionary<(int Subnet, int Offset), (string? Owner, bool Expiring)> model, int op, int a, int b)
    {
        var key = (b % 2, a);
        switch (op)
        {
            case 0 or 1 or 2:
                model.TryAdd(key, (Owners[b % 3], b % 5 == 0));
                break;
            case 3:
                model.Remove(key);
                break;
            case 4:
                foreach (var expired in model.Where(e => e.Key.Subnet == b % 2 && e.Value.Expiring).Select(e => e.Key).ToList())
                {
                    model.Remove(expired);
                }

                break;
            case 6:
                foreach (var held in model.Keys.Where(k => k.Subnet == b % 2).ToList())
                {
                    model.Remove(held);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>A subnet of <paramref name="tenant"/>; the first of a sample first deletes every subnet (and logs the ends of their allocations).</summary>
    private async Task<Subnet> FreshSubnetAsync(string cidr, string tenant, bool first)
    {
        var subnet = Samples.Subnet(cidr, tenant: tenant);
        await WriteAsync(async (s, ct) =>
        {
            if (first)
            {
                foreach (var existing in await s.ListSubnetsAsync(new SubnetQuery { Limit = 1000 }, ct))
                {
                    await s.DeleteSubnetAllocationsLoggedAsync(existing, ct);
                    await s.DeleteSubnetAsync(existing.Id, ct);
                }
            }

            await s.InsertSubnetAsync(subnet, ct);
        });
        return subnet;
    }
}

public sealed class OwnerListStoreTestsOnSqlite() : OwnerListStoreTests(StoreKind.Sqlite);

public sealed class OwnerListStoreTestsOnPostgres() : OwnerListStoreTests(StoreKind.Postgres);
