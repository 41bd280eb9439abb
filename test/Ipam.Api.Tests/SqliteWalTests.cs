using System.Diagnostics;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Api.Tests;

/// <summary>
/// Checkpoints run in the background, not on commits: the WAL file must still stay bounded while writes go
/// on, be emptied once they stop, and lose nothing.
/// </summary>
public sealed class SqliteWalTests
{
    private const int PageSize = 4096;

    [Fact]
    public async Task Server_AfterManyAllocationsAndAPause_WalFileIsEmptied()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.90.0.0/16" }))["id"]!;
        for (var i = 0; i < 10; i++)
        {
            await server.AllocateAsync(id, new { count = 1000 });
        }

        var waited = Stopwatch.StartNew();
        while (WalLength(server.DatabasePath) > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, WalLength(server.DatabasePath));
        Assert.Equal(10_000, await Database.CountAllocationsAsync(server, id));
    }

    [Fact]
    public async Task Store_UnderSteadyConcurrentWrites_WalStaysBounded_AndDisposeLosesNothing()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-wal-tests-").FullName;
        var path = Path.Combine(directory, "wal.db");
        const long resetPages = 256;
        const int writers = 4;
        const int rowsPerWrite = 20;
        const int rowSize = 500;
        // About 64 MiB of rows, 64 times the reset size: a WAL that is never started over ends far above the bound.
        const int writesPerWriter = 64 * 1024 * 1024 / (rowsPerWrite * rowSize) / writers;
        try
        {
            var options = new SqliteStoreOptions
            {
                Path = path,
                SynchronousFull = false,
                CheckpointInterval = TimeSpan.FromMilliseconds(10),
                WalResetPages = resetPages,
            };
            long largest = 0;
            await using (var store = new SqliteStore(options))
            {
                await store.MigrateAsync();
                await store.WriteAsync((session, _) => Execute(session, "CREATE TABLE filler (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL)"));

                var sampling = true;
                var sampler = Task.Run(async () =>
                {
                    while (Volatile.Read(ref sampling))
                    {
                        largest = Math.Max(largest, WalLength(path));
                        await Task.Delay(1);
                    }
                });
                await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
                {
                    for (var i = 0; i < writesPerWriter; i++)
                    {
                        await store.WriteAsync((session, _) => Execute(session,
                            $"""
                            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rowsPerWrite})
                            INSERT INTO filler SELECT randomblob(16), randomblob({rowSize}) FROM n
                            """));
                    }
                })));
                Volatile.Write(ref sampling, false);
                await sampler;
            }

            // The bound: the reset size plus what commits add while a checkpoint round is on its way, which
            // on a busy machine is several MiB at this rate. A WAL never started over would hold at least
            // the 64 MiB of rows (several times that, with the pages they touch): 229 MiB when it was not.
            Assert.True(largest <= 64 * 1024 * 1024, $"the WAL reached {largest / 1024} KiB (reset at {resetPages * PageSize / 1024} KiB)");

            // Dispose stopped the checkpointer after a last full checkpoint: everything is in the database file.
            Assert.Equal(0, WalLength(path));
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM filler";
            Assert.Equal((long)writers * writesPerWriter * rowsPerWrite, (long)count.ExecuteScalar()!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ValueTask<bool> Execute(Ipam.Storage.IIpamSession session, string sql)
    {
        var sqlite = (Ipam.Storage.Sql.SqlSession)session;
        using var command = sqlite.Connection.CreateCommand();
        command.Transaction = sqlite.Transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return ValueTask.FromResult(true);
    }

    private static long WalLength(string databasePath)
    {
        var wal = new FileInfo(databasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }
}
