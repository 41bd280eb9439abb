using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>
/// On SQLite a caller that has no deadline (code in the service's own process that passes no cancellation token)
/// runs its write's batch on its own thread: the hand-off to the thread pool is there only so that a caller can be
/// answered at its deadline while a commit is stuck. Such callers must still share transactions when they write at
/// once: the caller that runs a batch takes only its own answer on its thread, and every other caller in the batch
/// goes on on a thread of its own, rather than running its next write inside the first caller's.
/// </summary>
[Collection(nameof(ThreadPoolCountsCollection))]
public sealed class WritersWithoutADeadlineTests : IAsyncLifetime
{
    private const int Writers = 16;
    private const int WritesEach = 40;

    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-no-deadline-tests-").FullName;
    private SqliteStore? _store;

    private SqliteStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        // Durable commits, as a server makes them: a commit takes long enough for the other writers to queue behind it.
        _store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(_directory, "ipam.db") });
        await _store.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Concurrent_writers_without_a_deadline_share_transactions()
    {
        var engine = Store.GroupCommit!;
        var before = engine.Transactions;

        var written = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            for (var i = 0; i < WritesEach; i++)
            {
                count += await Store.WriteAsync((_, _) => ValueTask.FromResult(1));
            }

            return count;
        })));

        Assert.Equal(Writers * WritesEach, written.Sum());
        // Sixteen writers queue behind each commit; alone, each write would take a transaction of its own.
        Assert.InRange(engine.Transactions - before, 1, Writers * WritesEach / 4);
    }
}
