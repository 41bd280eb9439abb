using System.Reflection;
using System.Runtime.ExceptionServices;
using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>
/// Catching a free-space index up from the change log, against each store: a request needs a read of the log
/// that started after it arrived, so requests that arrived before one share it; a change committed before a
/// request arrived is always in its index; and a read unit's snapshot covers no other request. A store that knows
/// where the log ends in its write units (SQLite: one writer appends every change) needs no read when the position
/// is there, which it is after this instance's own commits.
/// </summary>
public abstract class ChangeLogCatchUpTests(StoreKind kind) : StoreTests(kind)
{
    /// <summary>Whether the store's write units know where the log ends (<see cref="IIpamSession.KnownLogEnd"/>).</summary>
    private bool KnowsLogEnd => Kind == StoreKind.Sqlite;

    /// <summary>The reads a catch-up needs that would read if the store did not know where the log ends.</summary>
    private int Reads(int unlessTheEndIsKnown) => KnowsLogEnd ? 0 : unlessTheEndIsKnown;

    [Fact]
    public async Task CatchUp_ReadStartedAfterTheRequestArrived_IsSharedByIt()
    {
        var (cache, subnet) = await CachedSubnetAsync("10.41.0.0/24");
        var arrived = cache.Ticket();

        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, arrived));
        Assert.Equal(0, await LogReadsAsync(cache, subnet, arrived));
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, cache.Ticket()));
    }

    [Fact]
    public async Task CatchUp_AfterItsOwnCommits_ReadsOnlyWhereTheStoreDoesNotKnowTheLogEnd()
    {
        var (cache, subnet) = await CachedSubnetAsync("10.46.0.0/24", allocatedOffset: 5);
        var address = subnet.Cidr.First.Add(5);
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, cache.Ticket()));

        // This instance releases the address, and has its commit applied as a read of the log would.
        await WriteAsync(async (s, ct) =>
        {
            Assert.NotNull(await s.DeleteAllocationAsync(subnet.Id, address, ct));
            s.RecordChange(Change(ChangeTypes.AllocationReleased, subnet, address));
            cache.FollowOwnCommit(s);
        });

        var late = cache.Ticket();
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, late));
        Assert.True(await IsFreeAsync(cache, subnet, late), "the release committed before the request arrived");

        // Taken again, in one unit with another subnet's change (no address): both applied, nothing left to read.
        await WriteAsync(async (s, ct) =>
        {
            Assert.True(await s.TryInsertAllocationAsync(Samples.Allocation(subnet, 5), ct));
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, address));
            s.RecordChange(new Change { Type = ChangeTypes.SubnetUpdated, At = Samples.Now, Actor = "token-1", SubnetId = Guid.NewGuid() });
            cache.FollowOwnCommit(s);
        });

        late = cache.Ticket();
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, late));
        Assert.False(await IsFreeAsync(cache, subnet, late), "the allocation committed before the request arrived");
    }

    [Fact]
    public async Task CatchUp_AfterAnotherUnitsChangeWithoutAnAddress_ReadsOnceThenNoMore()
    {
        var (cache, subnet) = await CachedSubnetAsync("10.47.0.0/24");
        await WriteAsync((s, _) =>
        {
            s.RecordChange(new Change { Type = ChangeTypes.SubnetUpdated, At = Samples.Now, Actor = "token-1", SubnetId = subnet.Id });
            return ValueTask.FromResult(true);
        });

        // The read finds no allocation change, and the position moves to the end all the same where it is known.
        Assert.Equal(1, await LogReadsAsync(cache, subnet, cache.Ticket()));
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, cache.Ticket()));
    }

    [Fact]
    public async Task CatchUp_ChangeCommittedBeforeTheRequestArrived_IsInItsIndex()
    {
        var (cache, subnet) = await CachedSubnetAsync("10.42.0.0/24", allocatedOffset: 5);
        var address = subnet.Cidr.First.Add(5);
        var early = cache.Ticket();
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, early));

        // Another instance releases the address: this cache learns of it only from the log.
        await WriteAsync(async (s, ct) =>
        {
            var released = await s.DeleteAllocationAsync(subnet.Id, address, ct);
            Assert.NotNull(released);
            s.RecordChange(Change(ChangeTypes.AllocationReleased, subnet, address));
        });

        var late = cache.Ticket();
        Assert.False(await IsFreeAsync(cache, subnet, early), "a request that arrived before the release may be answered without it");
        Assert.True(await IsFreeAsync(cache, subnet, late), "a request that arrived after the release must see it");
    }

    [Fact]
    public async Task CatchUp_InAReadUnit_CoversNoOtherRequest()
    {
        var (cache, subnet) = await CachedSubnetAsync("10.43.0.0/24");
        var arrived = cache.Ticket();

        Assert.Equal(1, await LogReadsAsync(cache, subnet, arrived, inReadUnit: true));
        Assert.Equal(Reads(1), await LogReadsAsync(cache, subnet, arrived));
    }

    [Fact]
    public async Task Join_InAReadUnitOlderThanTheFollower_LeavesTheIndexToALaterWrite()
    {
        var (cache, followed) = await CachedSubnetAsync("10.44.0.0/24");
        var subnet = Samples.Subnet("10.45.0.0/24");
        var address = subnet.Cidr.First.Add(5);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(subnet, ct);
            Assert.True(await s.TryInsertAllocationAsync(Samples.Allocation(subnet, 5), ct));
            s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, address));
        });

        // Built as a first allocation builds it, before its write: not yet followed.
        await ReadAsync(async (s, ct) => await cache.GetAsync(s, subnet, ct));

        await ReadAsync<bool>(async (old, ct) =>
        {
            Assert.NotNull(await old.FindSubnetAsync(subnet.Id, RowLock.None, ct));

            // After this unit's snapshot: another instance releases the address, and the follower reads past it
            // for another subnet's request.
            await WriteAsync(async (s, ct2) =>
            {
                Assert.NotNull(await s.DeleteAllocationAsync(subnet.Id, address, ct2));
                s.RecordChange(Change(ChangeTypes.AllocationReleased, subnet, address));
            });
            await LogReadsAsync(cache, followed, cache.Ticket());

            await cache.GetCurrentAsync(old, subnet, cache.Ticket(), ct);
            return true;
        });

        Assert.True(await IsFreeAsync(cache, subnet, cache.Ticket()), "a join in an old snapshot must not claim the changes it could not see");
    }

    /// <summary>A subnet in the store and a cache with its index built and followed, as after a first allocation.</summary>
    private async Task<(FreeSpaceCache Cache, Subnet Subnet)> CachedSubnetAsync(string cidr, int? allocatedOffset = null)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(subnet, ct);
            if (allocatedOffset is { } offset)
            {
                var allocation = Samples.Allocation(subnet, offset);
                Assert.True(await s.TryInsertAllocationAsync(allocation, ct));
                s.RecordChange(Change(ChangeTypes.AllocationCreated, subnet, allocation.Address));
            }
        });
        var cache = new FreeSpaceCache(TimeProvider.System);
        await LogReadsAsync(cache, subnet, cache.Ticket());
        return (cache, subnet);
    }

    /// <summary>How many reads of the log catching up for a request with <paramref name="ticket"/> made.</summary>
    private async Task<int> LogReadsAsync(FreeSpaceCache cache, Subnet subnet, CatchUpTicket ticket, bool inReadUnit = false)
    {
        Func<IIpamSession, CancellationToken, ValueTask<int>> work = async (session, ct) =>
        {
            var counting = LogReadCounter.Wrap(session);
            await cache.GetCurrentAsync(counting, subnet, ticket, ct);
            return ((LogReadCounter)(object)counting).Reads;
        };
        return inReadUnit ? await ReadAsync(work) : await WriteAsync(work);
    }

    private Task<bool> IsFreeAsync(FreeSpaceCache cache, Subnet subnet, CatchUpTicket ticket) =>
        WriteAsync(async (session, ct) =>
        {
            var space = await cache.GetCurrentAsync(session, subnet, ticket, ct);
            lock (space.Gate)
            {
                return space.Index.IsFree(subnet.Cidr.First.Add(5));
            }
        });

    private static Change Change(string type, Subnet subnet, Addressing.IpAddress address) => new()
    {
        Type = type,
        At = Samples.Now,
        Actor = "token-1",
        TenantId = subnet.TenantId,
        SubnetId = subnet.Id,
        Address = address,
        Cidr = subnet.Cidr,
    };
}

/// <summary>A session that counts its reads of the log and passes every call on to the real one.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1852", Justification = "DispatchProxy derives from it at run time.")]
internal class LogReadCounter : DispatchProxy
{
    private IIpamSession? _inner;

    public int Reads { get; private set; }

    public static IIpamSession Wrap(IIpamSession inner)
    {
        var proxy = Create<IIpamSession, LogReadCounter>();
        ((LogReadCounter)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IIpamSession.ListAllocationChangesAsync))
        {
            Reads++;
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

public sealed class ChangeLogCatchUpTestsOnSqlite() : ChangeLogCatchUpTests(StoreKind.Sqlite);

public sealed class ChangeLogCatchUpTestsOnPostgres() : ChangeLogCatchUpTests(StoreKind.Postgres);
