using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;

namespace Ipam.Storage.Tests.Sql;

/// <summary>
/// What a session's writes record for the group commit: whether the unit modified rows, and whether the
/// subnet revisions remembered under share locks still hold.
/// </summary>
public abstract class SqlSessionWriteScopeTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task Reads_LeaveTheUnitUnmodified_RevisionReadRemembersTheShareLock()
    {
        var subnet = await InsertSubnetAsync("10.100.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            Assert.Equal(subnet.Revision, await session.FindSubnetRevisionAsync(subnet.Id, ct));
            await session.FindSubnetAsync(subnet.Id, RowLock.ForUpdate, ct);
            await session.CountAsync(RowCount.AllocationsOf(subnet.Id), ct);

            Assert.False(session.Modified);
            Assert.Equal(subnet.Revision, locks[subnet.Id]);
        });
    }

    [Fact]
    public async Task FindSubnetRevision_RememberedUnderShareLock_IsNotReadAgain()
    {
        var subnet = await InsertSubnetAsync("10.101.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            locks[subnet.Id] = 42;

            Assert.Equal(42, await session.FindSubnetRevisionAsync(subnet.Id, ct));
        });
    }

    [Fact]
    public async Task AllocationWrites_ThatChangeNoRow_LeaveTheUnitUnmodified()
    {
        var subnet = await InsertSubnetAsync("10.102.0.0/24");
        var taken = Samples.Allocation(subnet, 5);
        await WriteAsync((s, ct) => s.TryInsertAllocationAsync(taken, ct));

        await InSessionAsync(async (session, locks, ct) =>
        {
            locks[subnet.Id] = subnet.Revision;
            Assert.False(await session.TryInsertAllocationAsync(taken, ct));
            Assert.Null(await session.DeleteAllocationAsync(subnet.Id, taken.Address.Add(1u), ct));
            Assert.Empty(await session.DeleteExpiredAllocationsAsync(Samples.Now, subnet.Id, ct));

            Assert.False(session.Modified);
            Assert.Single(locks);
        });
    }

    [Fact]
    public async Task AllocationWrites_ThatChangeRows_ModifyTheUnitButKeepTheShareLocks()
    {
        var subnet = await InsertSubnetAsync("10.103.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            locks[subnet.Id] = subnet.Revision;
            Assert.True(await session.TryInsertAllocationAsync(Samples.Allocation(subnet, 6), ct));
            Assert.False(await session.TryInsertAllocationAsync(Samples.Allocation(subnet, 6), ct));

            Assert.True(session.Modified);
            Assert.Single(locks);
        });
    }

    [Fact]
    public async Task InsertAtRevision_SubnetAtRevision_RemembersTheShareLockWhetherOrNotItInserts()
    {
        var subnet = await InsertSubnetAsync("10.107.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            Assert.Equal(AllocationInsert.Inserted, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision, ct));
            Assert.Equal(subnet.Revision, locks[subnet.Id]);
            Assert.True(session.Modified);
        });
        await InSessionAsync(async (session, locks, ct) =>
        {
            await session.TryInsertAllocationAsync(Samples.Allocation(subnet, 6), ct);
            locks.Clear();

            Assert.Equal(AllocationInsert.AddressTaken, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision, ct));
            Assert.Equal(subnet.Revision, locks[subnet.Id]);
        });
    }

    [Fact]
    public async Task InsertAtRevision_SubnetAtAnotherRevision_LeavesTheUnitUnmodifiedAndRemembersNothing()
    {
        var subnet = await InsertSubnetAsync("10.108.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            Assert.Equal(AllocationInsert.SubnetChanged, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision + 1, ct));

            Assert.False(session.Modified);
            Assert.Empty(locks);
        });
    }

    [Fact]
    public async Task InsertAtRevision_RememberedUnderShareLock_DecidedByTheRememberedRevision()
    {
        var subnet = await InsertSubnetAsync("10.109.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            // The stored row says otherwise: only the remembered revision can tell, so no statement ran.
            locks[subnet.Id] = subnet.Revision + 1;
            Assert.Equal(AllocationInsert.SubnetChanged, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision, ct));
            Assert.False(session.Modified);

            Assert.Equal(AllocationInsert.Inserted, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision + 1, ct));
            Assert.Equal(AllocationInsert.AddressTaken, await session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 6), subnet.Revision + 1, ct));
            Assert.Equal(subnet.Revision + 1, locks[subnet.Id]);
        });
    }

    [Theory]
    [InlineData("update subnet")]
    [InlineData("delete subnet")]
    [InlineData("insert idempotency record")]
    [InlineData("insert subnet pool")]
    public async Task OtherWrites_ModifyTheUnitAndForgetTheShareLocks(string write)
    {
        var subnet = await InsertSubnetAsync("10.104.0.0/24");

        await InSessionAsync(async (session, locks, ct) =>
        {
            locks[subnet.Id] = subnet.Revision;
            await (write switch
            {
                "update subnet" => session.UpdateSubnetAsync(subnet with { Revision = subnet.Revision + 1 }, ct),
                "delete subnet" => new ValueTask(session.DeleteSubnetAsync(subnet.Id, ct).AsTask()),
                "insert idempotency record" => session.InsertIdempotencyRecordAsync(new IdempotencyRecord(subnet.Id, "anonymous", "k", "f", "[]", Samples.Now), ct),
                _ => session.InsertSubnetPoolAsync(Samples.Pool("10.105.0.0/16"), ct),
            });

            Assert.True(session.Modified);
            Assert.Empty(locks);
        });
    }

    [Fact]
    public async Task FailedWrite_LeavesTheUnitModified()
    {
        var subnet = await InsertSubnetAsync("10.106.0.0/24");

        await InSessionAsync(async (session, _, ct) =>
        {
            await Assert.ThrowsAnyAsync<Exception>(async () => await session.InsertSubnetAsync(subnet, ct));

            Assert.True(session.Modified);
        });
    }

    private async Task<Ipam.Subnets.Subnet> InsertSubnetAsync(string cidr)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }

    /// <summary>Runs <paramref name="test"/> on a session of a transaction that is rolled back afterwards.</summary>
    private async Task InSessionAsync(Func<SqlSession, Dictionary<Guid, long>, CancellationToken, Task> test)
    {
        await using var connection = await OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var locks = new Dictionary<Guid, long>();
        var session = new SqlSession(connection, transaction, Dialect, heldRevisions: locks);
        await test(session, locks, TestContext.Current.CancellationToken);
    }
}

public sealed class SqlSessionWriteScopeTestsOnSqlite() : SqlSessionWriteScopeTests(StoreKind.Sqlite);

public sealed class SqlSessionWriteScopeTestsOnPostgres() : SqlSessionWriteScopeTests(StoreKind.Postgres);
