using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;
using Npgsql;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// A subnet's row locked by a session outside Ipam, as an operator's psql session would hold it:
/// <c>BEGIN; SELECT * FROM subnets WHERE id = '…' FOR UPDATE;</c> and the transaction left open until released.
/// </summary>
internal sealed class OutsideRowLock : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private OutsideRowLock(string connectionString, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connectionString = connectionString;
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<OutsideRowLock> TakeAsync(IpamServer server, string subnetId)
    {
        var connectionString = (await SharedPostgres.GetAsync()).ConnectionStringFor(server.Options.Database.Target);
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM subnets WHERE id = $1 FOR UPDATE", connection, transaction)
        {
            Parameters = { new() { Value = Guid.Parse(subnetId) } },
        };
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), $"subnet {subnetId} has no row to lock");
        }

        return new OutsideRowLock(connectionString, connection, transaction);
    }

    /// <summary>The sessions of the database waiting for a lock now (Ipam's, since this one waits for none).</summary>
    public async Task<long> WaitingSessionsAsync()
    {
        // A connection of its own: within a transaction, pg_stat_activity shows the moment of its first read.
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Ends the outside transaction, and with it the lock.</summary>
    public Task ReleaseAsync() => _transaction.RollbackAsync();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
