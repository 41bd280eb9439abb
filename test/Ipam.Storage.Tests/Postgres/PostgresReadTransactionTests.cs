using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Storage.Postgres;
using Ipam.Storage.Tests.Contract;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A read runs in one read-only snapshot whose <c>BEGIN</c> goes with its first statement: no simple query (which
/// the server answers at once, waking the client twice), no round trip of its own for the read-only setting. Counted
/// on the wire through a proxy, with a store of its own whose connections go through it.
/// </summary>
public sealed class PostgresReadTransactionTests : IAsyncLifetime
{
    private const string ReaderUnderTest = "reader under test";

    private string _connectionString = "";
    private PostgresWireCounter _wire = null!;
    private PostgresStore _store = null!;
    private Guid _subnetId;

    public async ValueTask InitializeAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        _connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        _wire = PostgresWireCounter.Start(_connectionString);
        // Pooled and not reset, as the store connects: a read given back unfinished is rolled back by the pool.
        var throughTheCounter = new NpgsqlConnectionStringBuilder(_wire.ConnectionStringFor(_connectionString))
        {
            Pooling = true, NoResetOnClose = true, ApplicationName = ReaderUnderTest,
        };
        _store = new PostgresStore(throughTheCounter.ToString());
        await _store.MigrateAsync();
        var subnet = await _store.WriteAsync(async (session, ct) =>
        {
            var created = Samples.Subnet("10.40.0.0/24");
            await session.InsertSubnetAsync(created, ct);
            return created;
        });
        _subnetId = subnet.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _wire.DisposeAsync();
    }

    [Fact]
    public async Task A_read_of_one_statement_is_two_round_trips_and_no_simple_query()
    {
        await InsertElsewhereAsync(3);
        await _store.ReadAsync((session, ct) => session.CountAsync(AllocationsOfTheSubnet, ct));
        _wire.Reset();

        var count = await _store.ReadAsync((session, ct) => session.CountAsync(AllocationsOfTheSubnet, ct));

        Assert.Equal(1, count);
        // The statement behind the BEGIN, then the COMMIT.
        Assert.True(_wire.FromClients('Q') == 0, _wire.ToString());
        Assert.True(_wire.FromClients('S') == 2, _wire.ToString());
        Assert.Equal(2, _wire.FromServer('Z'));
        Assert.Equal(0, await OpenTransactionsOfTheReaderAsync());
    }

    [Fact]
    public async Task A_read_that_sends_nothing_says_nothing_to_the_server()
    {
        await _store.ReadAsync((session, ct) => session.CountAsync(AllocationsOfTheSubnet, ct));
        _wire.Reset();

        Assert.Equal(7, await _store.ReadAsync((_, _) => ValueTask.FromResult(7)));

        Assert.True(_wire.AllFromClients == 0, _wire.ToString());
    }

    [Fact]
    public async Task A_read_sees_one_snapshot_across_its_statements()
    {
        var counts = await _store.ReadAsync(async (session, ct) =>
        {
            var before = await session.CountAsync(AllocationsOfTheSubnet, ct);
            await InsertElsewhereAsync(5);
            return (before, after: await session.CountAsync(AllocationsOfTheSubnet, ct));
        });

        Assert.Equal(counts.before, counts.after);
        Assert.Equal(counts.before + 1, await _store.ReadAsync((session, ct) => session.CountAsync(AllocationsOfTheSubnet, ct)));
    }

    [Fact]
    public async Task A_read_cannot_write_and_a_failed_read_leaves_no_transaction_open()
    {
        var allocation = new Allocation { SubnetId = _subnetId, Address = IpAddress.Parse("10.40.0.9"), CreatedAt = DateTimeOffset.UtcNow };

        await Assert.ThrowsAnyAsync<Exception>(() => _store.ReadAsync((session, ct) => session.TryInsertAllocationAsync(allocation, ct)));

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(0, await OpenTransactionsOfTheReaderAsync());
    }

    private RowCount AllocationsOfTheSubnet => RowCount.AllocationsOf(_subnetId);

    private async Task InsertElsewhereAsync(int host) =>
        await ScalarAsync($"INSERT INTO allocations (subnet_id, ip, created_at) VALUES ('{_subnetId}', decode('0000000000000000000000000a2800{host:x2}', 'hex'), now()) RETURNING 1");

    private Task<long> OpenTransactionsOfTheReaderAsync() =>
        ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{ReaderUnderTest}' AND state LIKE 'idle in transaction%'");

    private Task<long> ScalarAsync(string sql) => PostgresScalar.QueryAsync(_connectionString, sql);
}
