using Ipam.Changes;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// The change log as a store keeps it: written only when the unit that recorded it commits, listed in commit
/// order, read back per subnet for catching up, and pruned in bounded batches.
/// </summary>
public abstract class ChangeLogStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task RecordedChanges_ListedAfterCommit_InOrder_WithEveryField()
    {
        var subnet = Samples.Subnet("10.30.0.0/24");
        var held = Held(subnet, 5);
        var allocated = Change(ChangeTypes.AllocationCreated, subnet, 5) with { After = StoredSnapshots.Created(held, subnet.Id, "token-1") };
        var released = Change(ChangeTypes.AllocationReleased, subnet, 5) with
        {
            Reason = ReleaseReasons.Released,
            HeldSince = held.CreatedAt,
            Before = StoredSnapshots.Ended(held, subnet.Id),
        };
        var pool = Change(ChangeTypes.SubnetPoolCreated, null, null) with { ResourceId = Guid.NewGuid(), TenantId = "tenant-b" };
        await WriteAsync((s, _) =>
        {
            s.RecordChange(allocated);
            s.RecordChange(released);
            return ValueTask.CompletedTask;
        });
        await WriteAsync((s, _) =>
        {
            s.RecordChange(pool);
            return ValueTask.CompletedTask;
        });

        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        // An allocation's snapshot, recorded short, is listed whole.
        var whole = ChangeSnapshots.Of(held);
        Assert.Equal([allocated with { After = whole }, released with { Before = whole }, pool], all.Select(c => c with { Sequence = 0 }));
        Assert.True(all[0].Sequence > 0 && all[0].Sequence < all[1].Sequence && all[1].Sequence < all[2].Sequence);

        var afterFirst = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { After = all[0].Sequence, Limit = 1 }, ct));
        Assert.Equal([all[1]], afterFirst);
        var ofTenantB = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { TenantId = "tenant-b" }, ct));
        Assert.Equal([all[2]], ofTenantB);
        Assert.Equal(all[2].Sequence, await ReadAsync((s, ct) => s.FindLastChangeSequenceAsync(ct)));
    }

    /// <summary>
    /// One tenant's changes after a position, and where its last N start: only its own count, whatever tenants sort
    /// just before and after it, and however many changes they make before, between and after its own.
    /// </summary>
    [Fact]
    public async Task TenantChanges_AndWhereItsLastOnesStart_CountItsOwnOnly()
    {
        string[] order = ["a", "b", "c", "b", "a", "c", "c", "b", "a", "c"];
        foreach (var tenant in order)
        {
            var change = Change(ChangeTypes.SubnetPoolUpdated, null, null) with { ResourceId = Guid.NewGuid(), TenantId = "tenant-" + tenant };
            await WriteAsync((s, _) =>
            {
                s.RecordChange(change);
                return ValueTask.CompletedTask;
            });
        }

        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        var b = all.Where(c => c.TenantId == "tenant-b").Select(c => c.Sequence).ToList();
        Task<IReadOnlyList<Change>> PageAsync(long after, int limit = 100) =>
            ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { TenantId = "tenant-b", After = after, Limit = limit }, ct));
        Task<long> TailAsync(string? tenant, int count) => ReadAsync((s, ct) => s.FindTailStartAsync(tenant, count, ct));

        Assert.Equal(b, (await PageAsync(0)).Select(c => c.Sequence));
        Assert.Equal([b[1]], (await PageAsync(b[0], limit: 1)).Select(c => c.Sequence));
        Assert.Equal([b[2]], (await PageAsync(b[1])).Select(c => c.Sequence));
        Assert.Empty(await PageAsync(b[2]));
        Assert.Empty(await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { TenantId = "tenant-none" }, ct)));
        Assert.Equal([b[1], b[0], 0, 0], [await TailAsync("tenant-b", 1), await TailAsync("tenant-b", 2), await TailAsync("tenant-b", 3), await TailAsync("tenant-b", 4)]);
        Assert.Equal(0, await TailAsync("tenant-none", 1));
        Assert.Equal(all[^3].Sequence, await TailAsync(null, 2));
        Assert.Equal(0, await TailAsync(null, all.Count));
    }

    [Fact]
    public async Task ListChanges_OfATenant_WithRevocationOf_AlsoThatTokensRevocationAndNoOtherTokenChange()
    {
        var (mine, other) = (Guid.NewGuid(), Guid.NewGuid());
        Change[] recorded =
        [
            Change(ChangeTypes.SubnetPoolCreated, null, null) with { ResourceId = Guid.NewGuid(), TenantId = "tenant-r" },
            Change(ChangeTypes.TokenRevoked, null, null) with { ResourceId = other },
            Change(ChangeTypes.TokenCreated, null, null) with { ResourceId = mine },
            Change(ChangeTypes.SubnetPoolCreated, null, null) with { ResourceId = Guid.NewGuid(), TenantId = "tenant-s" },
            Change(ChangeTypes.TokenRevoked, null, null) with { ResourceId = mine },
        ];
        await WriteAsync((s, _) =>
        {
            Array.ForEach(recorded, s.RecordChange);
            return ValueTask.CompletedTask;
        });

        var ofTenant = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { TenantId = "tenant-r", RevocationOf = mine }, ct));
        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { RevocationOf = mine }, ct));

        Assert.Equal([recorded[0], recorded[4]], ofTenant.Select(c => c with { Sequence = 0 }));
        Assert.Equal(recorded, all.Select(c => c with { Sequence = 0 }));
    }

    [Fact]
    public async Task UnitsThatFail_LeaveNoChange_EvenWhenTheyShareATransactionWithOthers()
    {
        var subnet = Samples.Subnet("10.31.0.0/24");
        var writes = Enumerable.Range(0, 40).Select(i => WriteAsync<int>((s, _) =>
        {
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, i));
            return i % 2 == 0 ? ValueTask.FromResult(i) : throw new InvalidOperationException("undone");
        })).ToList();
        foreach (var write in writes)
        {
            try
            {
                await write;
            }
            catch (InvalidOperationException)
            {
                // The odd ones fail; their changes must vanish with them.
            }
        }

        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { Limit = 1000 }, ct));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => subnet.Cidr.First.Add((uint)(2 * i))).Order(), all.Select(c => c.Address!.Value).Order());
        Assert.Equal(all.Select(c => c.Sequence).Order(), all.Select(c => c.Sequence));
    }

    [Fact]
    public async Task AnAppendTheDatabaseRefuses_CommitsNothingOfItsTransaction_AndTheNextWriteCommits()
    {
        var subnet = Samples.Subnet("10.38.0.0/24");
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        var refused = Samples.Allocation(subnet, 5);
        var accepted = Samples.Allocation(subnet, 6);
        await ExecuteAsync(Kind == StoreKind.Sqlite
            ? "CREATE TRIGGER refuse_changes BEFORE INSERT ON changes BEGIN SELECT RAISE(ABORT, 'no more changes'); END"
            : """
              CREATE FUNCTION refuse_changes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no more changes'; END $$;
              CREATE TRIGGER refuse_changes BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION refuse_changes();
              """);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => WriteAsync(async (s, ct) =>
        {
            await s.TryInsertAllocationAsync(refused, ct);
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 5));
        }));

        Assert.Contains("no more changes", failure.ToString(), StringComparison.Ordinal);
        Assert.Null(await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, refused.Address, ct)));
        await ExecuteAsync(Kind == StoreKind.Sqlite ? "DROP TRIGGER refuse_changes" : "DROP TRIGGER refuse_changes ON changes");
        await WriteAsync(async (s, ct) =>
        {
            await s.TryInsertAllocationAsync(accepted, ct);
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 6));
        });
        Assert.Equal(accepted, await ReadAsync((s, ct) => s.FindAllocationAsync(subnet.Id, accepted.Address, ct)));
        var log = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery { Limit = 10 }, ct));
        Assert.Equal([accepted.Address], log.Select(c => c.Address!.Value));
    }

    [Fact]
    public async Task AllocationChanges_OfEverySubnet_AfterAPosition_AndEndsSinceATime()
    {
        var subnet = Samples.Subnet("10.32.0.0/24");
        var other = Samples.Subnet("10.33.0.0/24");
        await WriteAsync((s, _) =>
        {
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 1) with { At = Samples.Now.AddMinutes(-10) });
            s.RecordChange(Change(ChangeTypes.AllocationCreated, other, 1));
            s.RecordChange(Change(ChangeTypes.SubnetUpdated, subnet, null));
            s.RecordChange(Change(ChangeTypes.AllocationReleased, subnet, 2) with { At = Samples.Now.AddMinutes(-5) });
            s.RecordChange(Change(ChangeTypes.AllocationExpired, subnet, 1) with { Reason = ReleaseReasons.Expired });
            return ValueTask.CompletedTask;
        });

        var all = await ReadAsync((s, ct) => s.ListAllocationChangesAsync(0, 100, ct));
        Assert.Equal(
            [ChangeTypes.AllocationCreated, ChangeTypes.AllocationCreated, ChangeTypes.AllocationReleased, ChangeTypes.AllocationExpired],
            all.Select(c => c.Type));
        Assert.Equal([subnet.Id, other.Id, subnet.Id, subnet.Id], all.Select(c => c.SubnetId!.Value));
        Assert.Equal([subnet.Cidr.First.Add(1u), other.Cidr.First.Add(1u), subnet.Cidr.First.Add(2u), subnet.Cidr.First.Add(1u)],
            all.Select(c => c.Address!.Value));
        Assert.Equal(Samples.Now.AddMinutes(-10), all[0].At);
        Assert.Equal([all[1], all[2]], await ReadAsync((s, ct) => s.ListAllocationChangesAsync(all[0].Sequence, 2, ct)));
        Assert.Equal([all[3]], await ReadAsync((s, ct) => s.ListRecentSubnetAllocationEndsAsync(subnet.Id, Samples.Now.AddMinutes(-1), ct)));
        Assert.Equal([all[2], all[3]], await ReadAsync((s, ct) => s.ListRecentSubnetAllocationEndsAsync(subnet.Id, Samples.Now.AddMinutes(-6), ct)));
    }

    [Fact]
    public async Task PruneChangesBefore_NeverTheNewest_SoPositionsAreNeverHandedOutAgain()
    {
        var subnet = Samples.Subnet("10.35.0.0/24");
        await WriteAsync((s, _) =>
        {
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 1) with { At = Samples.Now.AddDays(-10) });
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 2) with { At = Samples.Now.AddDays(-10) });
            return ValueTask.CompletedTask;
        });
        var newest = await ReadAsync((s, ct) => s.FindLastChangeSequenceAsync(ct));
        await FoldAsync();

        Assert.Equal(1, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(Samples.Now, 100, ct)));
        Assert.Equal(newest, await ReadAsync((s, ct) => s.FindLastChangeSequenceAsync(ct)));
        await WriteAsync((s, _) =>
        {
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 3));
            return ValueTask.CompletedTask;
        });
        Assert.True(await ReadAsync((s, ct) => s.FindLastChangeSequenceAsync(ct)) > newest);
    }

    [Fact]
    public async Task PruneChangesBefore_OnlyOlderOnes_AtMostTheLimit()
    {
        var subnet = Samples.Subnet("10.34.0.0/24");
        await WriteAsync((s, _) =>
        {
            for (var i = 0; i < 5; i++)
            {
                s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, i) with { At = Samples.Now.AddDays(-10) });
            }

            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 9));
            return ValueTask.CompletedTask;
        });

        var cutoff = Samples.Now.AddDays(-1);
        await FoldAsync();
        Assert.Equal(3, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(cutoff, 3, ct)));
        Assert.Equal(2, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(cutoff, 3, ct)));
        Assert.Equal(0, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(cutoff, 3, ct)));
        var left = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        Assert.Equal([subnet.Cidr.First.Add(9u)], left.Select(c => c.Address!.Value));
    }

    [Fact]
    public async Task PruneChangesBefore_RecordsTheLastPositionItDeleted_OfTheLogAndOfEachTenant()
    {
        var a = Samples.Subnet("10.36.0.0/24", tenant: "tenant-a");
        var b = Samples.Subnet("10.37.0.0/24", tenant: "tenant-b");
        var none = Samples.Subnet("10.38.0.0/24", tenant: null);
        Assert.Equal(0, (await BoundsAsync(null)).PrunedThrough);
        await WriteAsync((s, _) =>
        {
            foreach (var subnet in new[] { a, b, a, none })
            {
                s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 1) with { At = Samples.Now.AddDays(-10) });
            }

            s.RecordChange(Change(ChangeTypes.AllocationCreated, b, 2));
            return ValueTask.CompletedTask;
        });
        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        await FoldAsync();

        Assert.Equal(4, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(Samples.Now.AddDays(-1), 100, ct)));

        Assert.Equal(new ChangeLogBounds(all[3].Sequence, all[^1].Sequence), await BoundsAsync(null));
        Assert.Equal(new ChangeLogBounds(all[2].Sequence, all[^1].Sequence), await BoundsAsync("tenant-a"));
        Assert.Equal(new ChangeLogBounds(all[1].Sequence, all[^1].Sequence), await BoundsAsync("tenant-b"));
        Assert.Equal(new ChangeLogBounds(0, all[^1].Sequence), await BoundsAsync("tenant-c"));
    }

    [Fact]
    public async Task PruneChangesBefore_StopsAtTheFirstChangeToKeep_SoEveryChangeKeptLiesAfterEveryOneDeleted()
    {
        var subnet = Samples.Subnet("10.39.0.0/24");
        await WriteAsync((s, _) =>
        {
            // Commit times a little out of order: the second is young enough to keep, the third is not.
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 1) with { At = Samples.Now.AddDays(-10) });
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 2));
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 3) with { At = Samples.Now.AddDays(-10) });
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 4));
            return ValueTask.CompletedTask;
        });
        var all = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        await FoldAsync();

        Assert.Equal(1, await WriteAsync((s, ct) => s.PruneChangesBeforeAsync(Samples.Now.AddDays(-1), 100, ct)));

        var left = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        Assert.Equal(all.Skip(1).Select(c => c.Sequence), left.Select(c => c.Sequence));
        Assert.Equal(new ChangeLogBounds(all[0].Sequence, all[^1].Sequence), await BoundsAsync(null));
    }

    [Fact]
    public async Task AllocationSnapshots_StoredShort_AndWholeOnesWrittenBefore_ReadWhole()
    {
        var subnet = Samples.Subnet("10.32.0.0/24");
        var (recorded, writtenBefore) = (Held(subnet, 7), Held(subnet, 8) with { Description = "written before the short form" });
        await WriteAsync((s, _) =>
        {
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 7) with { After = StoredSnapshots.Created(recorded, subnet.Id, "token-1") });
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, 8) with { After = ChangeSnapshots.Of(writtenBefore) });
            return ValueTask.CompletedTask;
        });

        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT after FROM changes ORDER BY seq";
        var stored = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["{\"owner\":\"vm-1\"}", ChangeSnapshots.Of(writtenBefore)], stored);
        var listed = await ReadAsync((s, ct) => s.ListChangesAsync(new ChangeQuery(), ct));
        Assert.Equal([ChangeSnapshots.Of(recorded), ChangeSnapshots.Of(writtenBefore)], listed.Select(c => c.After));
    }

    private Task<ChangeLogBounds> BoundsAsync(string? tenantId) => ReadAsync((s, ct) => s.FindChangeLogBoundsAsync(tenantId, ct));

    /// <summary>An allocation of <paramref name="subnet"/> made by token-1 at <see cref="Samples.Now"/>, as the change log records it.</summary>
    private static Allocations.Allocation Held(Subnets.Subnet subnet, uint offset) => new()
    {
        SubnetId = subnet.Id,
        Address = subnet.Cidr.First.Add(offset),
        Owner = "vm-1",
        CreatedAt = Samples.Now,
        CreatedBy = "token-1",
    };

    private static Change Change(string type, Subnets.Subnet? subnet, int? offset) => new()
    {
        Type = type,
        At = Samples.Now,
        Actor = "token-1",
        TenantId = subnet?.TenantId,
        SubnetId = subnet?.Id,
        Address = offset is { } o ? subnet!.Cidr.First.Add((uint)o) : null,
        Cidr = offset is null ? null : subnet!.Cidr,
    };
}

public sealed class ChangeLogStoreTestsOnSqlite() : ChangeLogStoreTests(StoreKind.Sqlite);

public sealed class ChangeLogStoreTestsOnPostgres() : ChangeLogStoreTests(StoreKind.Postgres);
