using Ipam.Changes;
using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Storage.Sqlite;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.Sqlite;

/// <summary>
/// Checkpoints run in the background, not on commits: the WAL file must still stay bounded while writes go
/// on, be emptied once they stop, and lose nothing.
/// </summary>
public sealed class SqliteWalTests : IDisposable
{
    private const int PageSize = 4096;

    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-wal-tests-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Store_AfterManyAllocationsAndALongPause_WalFileIsEmptied()
    {
        var path = Path.Combine(_directory, "ipam.db");
        // As a server runs it, without an fsync per commit (durability has its own tests); a long pause is 300
        // intervals (a minute by default), here three seconds.
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = path, SynchronousFull = false, CheckpointInterval = TimeSpan.FromMilliseconds(10) });
        await store.MigrateAsync();
        var cache = new FreeSpaceCache(TimeProvider.System);
        var changes = new ChangeLog(new AnonymousCaller(), TimeProvider.System);
        var subnets = new SubnetService(store, cache, new PrefixAllocator(new PrefixIndexCache()), changes, TimeProvider.System);
        var allocations = new AllocationService(store, cache, changes, new SeededRandomSource(7), TimeProvider.System);
        var id = (await subnets.CreateAsync(new CreateSubnetCommand { Cidr = Cidr.Parse("10.90.0.0/16") })).Subnet.Id;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(1000, (await allocations.AllocateAsync(id, new AllocationRequest { Count = 1000 })).Count);
        }

        // A patience, not a speed: the checkpointer runs every few milliseconds, but a loaded CI machine can
        // keep it off the CPU for seconds.
        var waited = Stopwatch.StartNew();
        while (WalLength(path) > 0 && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, WalLength(path));
        Assert.Equal(10_000, CountRows(path, "allocations"));
    }

    [Fact]
    public async Task Store_AfterAShortPause_TheNextWritesOverwriteTheWalFileInsteadOfExtendingIt()
    {
        var path = Path.Combine(_directory, "pause.db");
        await using var store = await WithFillerAsync(new SqliteStore(ShortPauseOptions(path, walResetPages: 4096)));
        await WriteFillerAsync(store, writes: 40);
        var grown = WalLength(path);
        Assert.InRange(grown, 1L << 20, 8L << 20);

        await WriteAfterAShortPauseAsync(store, writes: 5);

        Assert.Equal(grown, WalLength(path));
        Assert.Equal(450, CountRows(path, "filler"));
    }

    [Fact]
    public async Task Store_AfterAShortPause_AWalFileThatGrewPastItsBoundIsCutBackToIt()
    {
        var path = Path.Combine(_directory, "bound.db");
        const long resetPages = 16;
        // Twice the reset size in WAL frames (a page and its 24-byte header), after the WAL's 32-byte header.
        const long bound = 32 + (2 * resetPages * (PageSize + 24));
        await using var store = await WithFillerAsync(new SqliteStore(ShortPauseOptions(path, resetPages)));

        // A reader on an old snapshot keeps the WAL from starting over while the writes go on: it grows far past its bound.
        await using (var snapshot = new OldSnapshot(path))
        {
            await WriteFillerAsync(store, writes: 30);
            snapshot.End();
        }

        Assert.True(WalLength(path) > 4 * bound, $"the WAL grew to {WalLength(path)} bytes only");
        await WriteAfterAShortPauseAsync(store, writes: 1);

        Assert.Equal(bound, WalLength(path));
        Assert.Equal(310, CountRows(path, "filler"));
    }

    [Fact]
    public async Task Store_UnderSteadyConcurrentWrites_WalStaysBounded_AndDisposeLosesNothing()
    {
        var path = Path.Combine(_directory, "wal.db");
        const long resetPages = 256;
        const int writers = 4;
        const int rowsPerWrite = 20;
        const int rowSize = 500;
        // About 64 MiB of rows, 64 times the reset size: a WAL that is never started over ends far above the bound.
        const int writesPerWriter = 64 * 1024 * 1024 / (rowsPerWrite * rowSize) / writers;
        const int paceMilliseconds = 10;
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
                    // Paced, so that the WAL grows by a few MiB a second (a write touches ~8 pages), not ~100:
                    // a loaded machine can keep the checkpointer off the CPU for a second, and what the
                    // writers add meanwhile is no fault of the design.
                    await Task.Delay(paceMilliseconds);
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
        Assert.Equal((long)writers * writesPerWriter * rowsPerWrite, CountRows(path, "filler"));
    }

    [Fact]
    public async Task Store_WhileAReaderHoldsAnOldSnapshot_WritesGoOnPastTheWalReset()
    {
        var path = Path.Combine(_directory, "reader.db");
        var options = new SqliteStoreOptions
        {
            Path = path,
            SynchronousFull = false,
            CheckpointInterval = TimeSpan.FromMilliseconds(10),
            WalResetPages = 16,
        };
        await using var store = await WithFillerAsync(new SqliteStore(options));

        // A reader in the middle of a long read: its snapshot predates every write below, so no checkpoint
        // that must wait for readers (the WAL's reset) can finish until it ends.
        await using var snapshot = new OldSnapshot(path);

        // Each write adds about ten pages: the WAL passes the reset size many times over, and the writer is
        // asked to start it over again and again. Waiting for the reader there would hold every write up.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 50; i++)
        {
            await store.WriteAsync((session, _) => Execute(session,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO filler SELECT randomblob(16), randomblob(3000) FROM n"),
                patience.Token);
            await Task.Delay(5, patience.Token);
        }

        Assert.Equal(500, CountRows(path, "filler"));
        snapshot.End();
    }

    /// <summary>Migrates <paramref name="store"/> and adds the <c>filler</c> table the tests write to.</summary>
    private static async Task<SqliteStore> WithFillerAsync(SqliteStore store)
    {
        await store.MigrateAsync();
        await store.WriteAsync((session, _) => Execute(session, "CREATE TABLE filler (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL)"));
        return store;
    }

    /// <summary>Checkpoint rounds of 20 ms: a short pause is a tenth of a second, a long one six seconds.</summary>
    private static SqliteStoreOptions ShortPauseOptions(string path, long walResetPages) => new()
    {
        Path = path,
        SynchronousFull = false,
        CheckpointInterval = TimeSpan.FromMilliseconds(20),
        WalResetPages = walResetPages,
    };

    /// <summary>
    /// Writes after a pause long enough for the checkpointer to copy everything and start the WAL over, and far shorter
    /// than the 300 intervals (six seconds with <see cref="ShortPauseOptions"/>) after which it would empty the file.
    /// </summary>
    private static async Task WriteAfterAShortPauseAsync(SqliteStore store, int writes)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        await WriteFillerAsync(store, writes);
    }

    /// <summary>Writes of ten rows of 3,000 bytes each, about ten pages a write.</summary>
    private static async Task WriteFillerAsync(SqliteStore store, int writes)
    {
        for (var i = 0; i < writes; i++)
        {
            await store.WriteAsync((session, _) => Execute(session,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO filler SELECT randomblob(16), randomblob(3000) FROM n"));
        }
    }

    private static ValueTask<bool> Execute(IIpamSession session, string sql)
    {
        var sqlite = (Ipam.Storage.Sql.SqlSession)session;
        using var command = sqlite.Connection.CreateCommand();
        command.Transaction = sqlite.Transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return ValueTask.FromResult(true);
    }

    private static long CountRows(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {table}";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>A reader in the middle of a long read of the <c>filler</c> table, on a snapshot from before it began.</summary>
    private sealed class OldSnapshot : IAsyncDisposable
    {
        private readonly SqliteConnection _reader;
        private readonly SqliteTransaction _snapshot;

        public OldSnapshot(string path)
        {
            _reader = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            _reader.Open();
            _snapshot = _reader.BeginTransaction(deferred: true);
            using var read = _reader.CreateCommand();
            read.Transaction = _snapshot;
            read.CommandText = "SELECT count(*) FROM filler";
            Assert.Equal(0L, read.ExecuteScalar());
        }

        /// <summary>The read ends.</summary>
        public void End() => _snapshot.Commit();

        public async ValueTask DisposeAsync()
        {
            await _snapshot.DisposeAsync();
            await _reader.DisposeAsync();
        }
    }

    private static long WalLength(string databasePath)
    {
        var wal = new FileInfo(databasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }
}
