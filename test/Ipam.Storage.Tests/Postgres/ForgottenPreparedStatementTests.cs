using System.Diagnostics.Metrics;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Ipam.Storage.Tests.Contract;
using Ipam.Subnets;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// A connection whose server no longer holds a statement the driver prepared on it (26000, "prepared statement
/// _autoN does not exist", met once under load in CI): the read or write that meets it runs again on a fresh
/// connection, and the ones after it do not meet it again. Made here by deallocating the statements behind the
/// driver's back, on the one connection of a pool of one.
/// </summary>
public sealed class ForgottenPreparedStatementTests : IAsyncLifetime
{
    private PostgresStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        var cluster = await SharedPostgres.GetAsync();
        var oneConnection = new NpgsqlConnectionStringBuilder(cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync()))
        {
            Pooling = true, MaxPoolSize = 1, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true,
        };
        _store = new PostgresStore(new PostgresStoreOptions { ConnectionString = oneConnection.ToString(), MaxConcurrentBatches = 1 });
        await _store.MigrateAsync();
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_read_whose_statement_the_server_forgot_runs_again_on_a_fresh_connection()
    {
        var subnet = await InsertSubnetAsync("10.41.0.0/24");
        for (var i = 0; i < 3; i++)
        {
            await FindAsync(subnet.Id);
        }

        await ForgetPreparedStatementsAsync();
        using var renewals = new PoolRenewals();

        Assert.Equal(subnet.Id, (await FindAsync(subnet.Id))?.Id);
        Assert.Equal(subnet.Id, (await FindAsync(subnet.Id))?.Id);
        Assert.True(renewals.Count >= 1, "the renewal of the pool was not counted");
    }

    [Fact]
    public async Task A_write_whose_statement_the_server_forgot_runs_again_and_commits_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await InsertSubnetAsync($"10.42.{i}.0/24");
        }

        await ForgetPreparedStatementsAsync();

        var subnet = await InsertSubnetAsync("10.42.9.0/24");
        Assert.Equal(subnet.Id, (await FindAsync(subnet.Id))?.Id);
        Assert.Equal(4, (await _store.ReadAsync((session, ct) => session.ListSubnetsAsync(new SubnetQuery { Limit = 100 }, ct))).Count);
    }

    /// <summary>A shared transaction's failure is judged once for each of its requests, with the same error.</summary>
    [Fact]
    public void The_pool_is_let_go_once_for_one_failure_however_many_requests_it_fails()
    {
        var forgotten = new PostgresException("prepared statement \"_auto1\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.InvalidSqlStatementName);
        using var renewals = new PoolRenewals();

        for (var request = 0; request < 3; request++)
        {
            PostgresFailures.ForgetConnectionsAfter(forgotten, _store.DataSource);
        }

        Assert.Equal(1, renewals.Count);
    }

    private Task<Subnet?> FindAsync(Guid id) =>
        _store.ReadAsync((session, ct) => session.FindSubnetAsync(id, RowLock.None, ct));

    private Task<Subnet> InsertSubnetAsync(string cidr) => _store.WriteAsync(async (session, ct) =>
    {
        var subnet = Samples.Subnet(cidr);
        await session.InsertSubnetAsync(subnet, ct);
        return subnet;
    });

    /// <summary>Counts <c>ipam.store.pool.renewals</c> from its creation on (other tests of the process may add to it).</summary>
    private sealed class PoolRenewals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public PoolRenewals()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StoreTelemetry.Name && instrument.Name == "ipam.store.pool.renewals")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>On the pool's one connection, which the driver still believes holds its prepared statements.</summary>
    private async Task ForgetPreparedStatementsAsync()
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync();
        await using var deallocate = new NpgsqlCommand("DEALLOCATE ALL", connection);
        await deallocate.ExecuteNonQueryAsync();
    }
}
