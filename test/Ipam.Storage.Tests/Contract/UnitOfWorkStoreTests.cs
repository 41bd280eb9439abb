namespace Ipam.Storage.Tests.Contract;

public abstract class UnitOfWorkStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task WriteAsync_WorkThrowsAfterWriting_LeavesNothingAndRunsRollbackActions()
    {
        var scope = Samples.Scope();
        var pool = Samples.Pool("10.90.0.0/16", scope.Id);
        var subnet = Samples.Subnet("10.90.1.0/24", pool.Id);
        var record = new IdempotencyRecord(subnet.Id, "anonymous", "key", "fingerprint", "[]", Samples.Now);
        var rolledBack = false;
        var committed = false;

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(async (s, ct) =>
        {
            s.OnRolledBack(() => rolledBack = true);
            s.OnCommitted(() => committed = true);
            await s.InsertAddressScopeAsync(scope, ct);
            await s.InsertSubnetPoolAsync(pool, ct);
            await s.InsertSubnetAsync(subnet, ct);
            await s.TryInsertAllocationAsync(Samples.Allocation(subnet, 5), ct);
            await s.InsertIdempotencyRecordAsync(record, ct);
            throw new InvalidOperationException("refused");
        }));

        Assert.True(rolledBack);
        Assert.False(committed);
        Assert.Null(await ReadAsync((s, ct) => s.FindAddressScopeAsync(scope.Id, RowLock.None, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindSubnetPoolAsync(pool.Id, RowLock.None, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindSubnetAsync(subnet.Id, RowLock.None, ct)));
        Assert.Equal(0, await ReadAsync((s, ct) => s.CountAsync(RowCount.AllocationsOf(subnet.Id), ct)));
        Assert.Null(await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(record.SubnetId, record.Actor, record.Key, ct)));
    }

    [Fact]
    public async Task WriteAsync_Succeeds_RunsCommitActionsOnly()
    {
        var rolledBack = false;
        var committed = false;

        await WriteAsync((s, ct) =>
        {
            s.OnRolledBack(() => rolledBack = true);
            s.OnCommitted(() => committed = true);
            return s.InsertAddressScopeAsync(Samples.Scope(), ct);
        });

        Assert.True(committed);
        Assert.False(rolledBack);
    }

    [Fact]
    public async Task WriteAsync_WithSubnetId_ReadsTheRevision()
    {
        var subnet = Samples.Subnet("10.91.0.0/24");
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));

        var revision = await Store.WriteAsync(subnet.Id, (s, ct) => s.FindSubnetRevisionAsync(subnet.Id, ct), TestContext.Current.CancellationToken);

        Assert.Equal(subnet.Revision, revision);
    }

    [Fact]
    public async Task DatabaseTime_TheServersClock_OrNoneForAnEmbeddedDatabase()
    {
        var before = DateTimeOffset.UtcNow;
        var time = await ReadAsync((s, ct) => s.ReadDatabaseTimeAsync(ct));
        var after = DateTimeOffset.UtcNow;

        if (Kind == StoreKind.Sqlite)
        {
            Assert.Null(time);
        }
        else
        {
            // The throwaway server runs on this machine: its clock is this one's.
            Assert.NotNull(time);
            Assert.InRange(time.Value, before.AddSeconds(-1), after.AddSeconds(1));
        }
    }
}

public sealed class UnitOfWorkStoreTestsOnSqlite() : UnitOfWorkStoreTests(StoreKind.Sqlite);

public sealed class UnitOfWorkStoreTestsOnPostgres() : UnitOfWorkStoreTests(StoreKind.Postgres);
