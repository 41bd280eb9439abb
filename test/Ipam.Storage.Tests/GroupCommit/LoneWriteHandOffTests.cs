using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Tests.GroupCommit;

/// <summary>Counts the thread pool's work items, which every test running beside it would add to.</summary>
[CollectionDefinition(nameof(ThreadPoolCountsCollection), DisableParallelization = true)]
public sealed class ThreadPoolCountsCollection;

/// <summary>
/// A lone client's write on SQLite: its batch runs on the thread pool (a commit stuck in the file system must not hold
/// the caller's thread), and that hand-off is the only one. The caller goes on on the thread that committed its work,
/// rather than on a work item queued for it, which would wake another thread for every write. (Which thread that is
/// is not asserted: the old answer's work item was mostly run by the same thread too, and a write of the store's own
/// that shares a transaction sends the caller through the pool.) A caller without a deadline (code in the service's
/// own process that passes no cancellation token) runs its batch on its own thread instead, and such callers writing
/// at once still share transactions: the one that runs a batch takes only its own answer there, and every other
/// caller in it goes on on a thread of its own rather than running its next write inside the first one's.
/// </summary>
[Collection(nameof(ThreadPoolCountsCollection))]
public sealed class LoneWriteHandOffTests : IAsyncLifetime
{
    private const int Writes = 400;
    private const int Writers = 16;
    private const int WritesEach = 40;

    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-hand-off-tests-").FullName;
    private SqliteStore? _store;

    private SqliteStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        // Durable commits, as a server makes them: a commit takes long enough for concurrent writers to queue behind it.
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
    public async Task A_lone_write_takes_one_thread_pool_work_item()
    {
        // Off xunit's context, as a request's code runs: its awaits resume on whichever thread completes them.
        var workItemsPerWrite = await Task.Run(WriteOneAtATimeAsync);

        Assert.InRange(workItemsPerWrite, 1.0, 1.25);
    }

    [Fact]
    public async Task A_lone_write_without_a_deadline_runs_on_the_callers_thread()
    {
        var workItemsPerWrite = await Task.Run(() => WriteOneAtATimeAsync(CancellationToken.None));

        Assert.InRange(workItemsPerWrite, 0.0, 0.05);
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
                // A millisecond in the transaction, as a commit that syncs the disk takes: an empty one would end
                // before the writers just answered queue again, and the next caller would often commit alone.
                count += await Store.WriteAsync((_, _) =>
                {
                    Thread.Sleep(1);
                    return ValueTask.FromResult(1);
                });
            }

            return count;
        })));

        Assert.Equal(Writers * WritesEach, written.Sum());
        // Sixteen writers queue behind each commit; alone, each write would take a transaction of its own.
        Assert.InRange(engine.Transactions - before, 1, Writers * WritesEach / 4);
    }

    private async Task<double> WriteOneAtATimeAsync()
    {
        // A deadline, as every request has: the caller waits for its outcome or for the token, whichever comes first.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await WriteOneAtATimeAsync(deadline.Token).ConfigureAwait(false);
    }

    private async Task<double> WriteOneAtATimeAsync(CancellationToken cancellationToken)
    {
        var before = ThreadPool.CompletedWorkItemCount;
        for (var i = 0; i < Writes; i++)
        {
            await Store.WriteAsync((_, _) => ValueTask.FromResult(true), cancellationToken).ConfigureAwait(false);
        }

        return (ThreadPool.CompletedWorkItemCount - before) / (double)Writes;
    }
}
