using System.Data.Common;
using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// The revision-checked allocation insert holds its subnet as the revision read does: a pool or gateway change
/// and an allocation of the same subnet never both go ahead on the old revision.
/// </summary>
public sealed class InsertAtRevisionLockTests() : StoreTests(StoreKind.Postgres)
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task InsertAtRevision_WhileAnUpdateHoldsTheSubnet_WaitsForItsCommitThenSeesTheNewRevision()
    {
        var subnet = await InsertSubnetAsync("10.130.0.0/24");
        var ct = TestContext.Current.CancellationToken;
        await using var update = await BeginAsync();
        Assert.NotNull(await update.Session.FindSubnetAsync(subnet.Id, RowLock.ForUpdate, ct));
        await update.Session.UpdateSubnetAsync(ShrunkPools(subnet), ct);

        await using var allocation = await BeginAsync();
        var insert = allocation.Session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 7), subnet.Revision, ct).AsTask();
        await Task.Delay(Blocked, ct);
        Assert.False(insert.IsCompleted);

        await update.Transaction.CommitAsync(ct);

        Assert.Equal(AllocationInsert.SubnetChanged, await insert);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InsertAtRevision_AtTheRevision_HoldsTheSubnetAgainstAnUpdateUntilCommit(bool addressTaken)
    {
        var subnet = await InsertSubnetAsync("10.131.0.0/24");
        var ct = TestContext.Current.CancellationToken;
        if (addressTaken)
        {
            await WriteAsync((s, c) => s.TryInsertAllocationAsync(Samples.Allocation(subnet, 7), c));
        }

        await using var allocation = await BeginAsync();
        var outcome = await allocation.Session.TryInsertAllocationAtRevisionAsync(Samples.Allocation(subnet, 7), subnet.Revision, ct);
        Assert.Equal(addressTaken ? AllocationInsert.AddressTaken : AllocationInsert.Inserted, outcome);

        await using var update = await BeginAsync();
        var locked = update.Session.FindSubnetAsync(subnet.Id, RowLock.ForUpdate, ct).AsTask();
        await Task.Delay(Blocked, ct);
        Assert.False(locked.IsCompleted);

        await allocation.Transaction.CommitAsync(ct);

        Assert.Equal(subnet.Revision, (await locked)?.Revision);
        Assert.Equal(1, await update.Session.CountAsync(RowCount.AllocationsOf(subnet.Id), ct));
    }

    private static Subnet ShrunkPools(Subnet subnet) =>
        subnet with { Revision = subnet.Revision + 1, AllocationPools = [new(subnet.Cidr.First.Add(100u), subnet.Cidr.First.Add(200u))] };

    private async Task<Subnet> InsertSubnetAsync(string cidr)
    {
        var subnet = Samples.Subnet(cidr);
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));
        return subnet;
    }

    private async Task<OpenSession> BeginAsync()
    {
        var connection = await OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        return new OpenSession(connection, transaction, new SqlSession(connection, transaction, Dialect));
    }

    private sealed record OpenSession(DbConnection Connection, DbTransaction Transaction, SqlSession Session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
