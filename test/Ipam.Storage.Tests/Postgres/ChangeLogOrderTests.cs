using System.Collections.Concurrent;
using Ipam.Changes;
using Ipam.Storage.Postgres;
using Ipam.Testing;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// The change log's order on PostgreSQL, where transactions of several instances commit concurrently: a reader
/// that follows the log (changes after its cursor, the cursor moved to the last one read) while they append
/// never skips a change, that is, never finds later a change committed below its cursor. Several stores on one
/// database stand for several instances.
/// </summary>
public sealed class ChangeLogOrderTests
{
    private const int Stores = 4;
    private const int WritersPerStore = 8;
    private const int UnitsPerWriter = 30;

    [Fact]
    public async Task Follower_WhileFourStoresAppendConcurrently_SeesEveryChangeOnceInOrder()
    {
        var cluster = await SharedPostgres.GetAsync();
        var connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        // Small batches, several at once per store: many transactions commit concurrently.
        var options = new PostgresStoreOptions { ConnectionString = connectionString, MaxBatchSize = 4, MaxConcurrentBatches = 4 };
        var stores = Enumerable.Range(0, Stores).Select(_ => new PostgresStore(options)).ToList();
        await using var reader = new PostgresStore(connectionString);
        try
        {
            await stores[0].MigrateAsync();
            var acknowledged = new ConcurrentBag<string>();
            var writing = Task.WhenAll(stores.SelectMany((store, s) => Enumerable.Range(0, WritersPerStore)
                .Select(w => Task.Run(() => WriteAsync(store, $"store-{s}-writer-{w}", acknowledged)))));
            var seen = new List<long>();
            var following = Task.Run(() => FollowAsync(reader, seen, writing));
            await writing;
            await following;

            var log = await reader.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery { After = 0, Limit = int.MaxValue }, ct));
            var skipped = log.Select(c => c.Sequence).Except(seen).ToList();
            Assert.True(skipped.Count == 0, $"the follower skipped {skipped.Count} of {log.Count} changes, e.g. {string.Join(", ", skipped.Take(5))}");
            Assert.Equal(log.Select(c => c.Sequence), seen);
            Assert.Equal(acknowledged.Order(), log.Select(c => c.Actor).Order());
            Assert.Equal(Stores * WritersPerStore * UnitsPerWriter, log.Count);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    /// <summary>Units one after another that each record one change, named by <paramref name="writer"/> and a counter.</summary>
    private static async Task WriteAsync(PostgresStore store, string writer, ConcurrentBag<string> acknowledged)
    {
        for (var n = 0; n < UnitsPerWriter; n++)
        {
            var actor = $"{writer}-{n}";
            await store.WriteAsync((session, _) =>
            {
                session.RecordChange(new Change { Type = ChangeTypes.SubnetUpdated, At = DateTimeOffset.UtcNow, Actor = actor });
                return ValueTask.FromResult(true);
            });
            acknowledged.Add(actor);
        }
    }

    /// <summary>Reads pages after its cursor until the writers are done and a page comes back empty.</summary>
    private static async Task FollowAsync(PostgresStore reader, List<long> seen, Task writing)
    {
        long cursor = 0;
        while (true)
        {
            var done = writing.IsCompleted;
            var page = await reader.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery { After = cursor, Limit = 50 }, ct));
            if (page.Count == 0 && done)
            {
                return;
            }

            if (page.Count == 0)
            {
                continue;
            }

            seen.AddRange(page.Select(c => c.Sequence));
            cursor = page[^1].Sequence;
        }
    }
}
