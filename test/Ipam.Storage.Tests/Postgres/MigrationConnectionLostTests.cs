using Ipam.Storage.Tests.Contract;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// The schema check at start-up outlives the loss of its connection (the database restarting as the instance
/// starts): it is one transaction, so it is made again on a new connection.
/// </summary>
public sealed class MigrationConnectionLostTests() : StoreTests(StoreKind.Postgres)
{
    /// <summary>The advisory lock instances take to migrate one at a time (PostgresMigrator.LockKey).</summary>
    private const long MigrationLock = 0x4970616d_4d696772;

    [Fact]
    public async Task Migrate_ConnectionTerminatedWhileItWaits_TriesAgainAndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync(ct);
        await using var held = await holder.BeginTransactionAsync(ct);
        await Execute(holder, $"SELECT pg_advisory_xact_lock({MigrationLock})");

        var migrate = Store.MigrateAsync(ct);
        var waiting = await WaitForMigrationBackendAsync(holder);
        await Execute(holder, $"SELECT pg_terminate_backend({waiting})");
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        await held.CommitAsync(ct);

        await migrate.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(migrate.IsCompletedSuccessfully);
    }

    private static async Task<int> WaitForMigrationBackendAsync(NpgsqlConnection holder)
    {
        for (var tries = 0; tries < 200; tries++)
        {
            await using var find = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()", holder);
            // Inside a transaction, pg_stat_activity keeps the first look unless told to look again.
            await Execute(holder, "SELECT pg_stat_clear_snapshot()");
            if (await find.ExecuteScalarAsync(TestContext.Current.CancellationToken) is int pid)
            {
                return pid;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The schema check never waited for the migration lock.");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
