using System.Diagnostics;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Storage;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipam.Api.Tests.Hosting;

/// <summary>
/// Retention of the change log: changes older than the retention are deleted in bounded batches, younger ones
/// are kept, and the background loop prunes at start, again at every interval, and after a failed round.
/// Old changes are written with old times straight through the store, as the services would have written them.
/// </summary>
public abstract class ChangeLogPrunerTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(10);
    private IpamServer? _server;

    private IpamServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    private IIpamStore Store => Server.Services.GetRequiredService<IIpamStore>();

    public async ValueTask InitializeAsync() => _server = await IpamServer.StartAsync(durableCommits: false, store: kind);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Prune_OldAndRecentChanges_DeletesOnlyTheOldInBatchesOfTheLimit()
    {
        var now = DateTimeOffset.UtcNow;
        await RecordAsync(10, now - TimeSpan.FromDays(30), "old");
        await RecordAsync(3, now - TimeSpan.FromDays(1), "recent");
        var pruner = Pruner(new RecordingLogger<ChangeLogPruner>(), batchSize: 3);

        var pruned = await pruner.PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal(10, pruned.Deleted);
        Assert.Equal(4, pruned.Batches);
        Assert.Equal(["recent", "recent", "recent"], await ActorsAsync());
        Assert.Equal(0, (await pruner.PruneAsync(TestContext.Current.CancellationToken)).Deleted);
    }

    [Fact]
    public async Task Prune_ExactlyFullBatches_StopsAtTheFirstEmptyOne()
    {
        var now = DateTimeOffset.UtcNow;
        await RecordAsync(6, now - TimeSpan.FromDays(11), "old");
        await RecordAsync(1, now - TimeSpan.FromDays(9), "recent");

        var pruned = await Pruner(new RecordingLogger<ChangeLogPruner>(), batchSize: 3).PruneAsync(TestContext.Current.CancellationToken);

        Assert.Equal((6, 2), (pruned.Deleted, pruned.Batches));
        Assert.Equal(["recent"], await ActorsAsync());
    }

    [Fact]
    public async Task Background_PrunesAtStartAtEveryIntervalAndAfterAFailure_AndStopsOnShutdown()
    {
        var logger = new RecordingLogger<ChangeLogPruner>();
        var pruner = Pruner(logger, batchSize: 4, interval: TimeSpan.FromMilliseconds(200));
        await RecordAsync(9, DateTimeOffset.UtcNow - TimeSpan.FromDays(30), "old");

        await pruner.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            // The newest change stays whatever its age: positions in the log are never handed out twice.
            await Eventually.HoldsAsync(async () => (await ActorsAsync()).SequenceEqual(["old"]), "the old changes to be pruned at start");

            // The round logs once its last batch has committed, a moment after the rows are gone.
            await Eventually.HoldsAsync(() => Task.FromResult(logger.Entries.Any(e => e.Level == LogLevel.Information
                && e.Message.StartsWith("Pruned 8 change(s)", StringComparison.Ordinal) && e.Message.EndsWith("in 2 transaction(s)", StringComparison.Ordinal))),
                "the round to be logged");

            // A database that refuses the delete fails a round; the loop logs it and prunes once it may again.
            // How far the log was pruned moves with the delete, or not at all.
            var prunedThrough = await PrunedThroughAsync();
            Assert.Null(await Database.TryExecuteAsync(Server, RefuseDeletes));
            await RecordAsync(2, DateTimeOffset.UtcNow - TimeSpan.FromDays(30), "later");
            await Eventually.HoldsAsync(() => Task.FromResult(logger.Entries.Any(e => e.Level == LogLevel.Warning)), "the failed round to be logged");
            Assert.Equal(prunedThrough, await PrunedThroughAsync());
            Assert.Null(await Database.TryExecuteAsync(Server, AllowDeletes));

            await Eventually.HoldsAsync(async () => (await ActorsAsync()).SequenceEqual(["later"]), "pruning to resume after the failure");
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await pruner.StopAsync(TestContext.Current.CancellationToken);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
        }

        Assert.True(pruner.ExecuteTask!.IsCompleted);
    }

    private string RefuseDeletes => kind == StoreKind.Sqlite
        ? "CREATE TRIGGER keep_changes BEFORE DELETE ON changes BEGIN SELECT RAISE(ABORT, 'changes are kept'); END"
        : """
          CREATE FUNCTION keep_changes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'changes are kept'; END $$;
          CREATE TRIGGER keep_changes BEFORE DELETE ON changes FOR EACH ROW EXECUTE FUNCTION keep_changes();
          """;

    private string AllowDeletes => kind == StoreKind.Sqlite
        ? "DROP TRIGGER keep_changes"
        : "DROP TRIGGER keep_changes ON changes; DROP FUNCTION keep_changes();";

    private ChangeLogPruner Pruner(RecordingLogger<ChangeLogPruner> logger, int batchSize, TimeSpan? interval = null) => new(
        Store,
        TimeProvider.System,
        new IpamHostOptions
        {
            HistoryRetention = Retention,
            HistoryPruneBatchSize = batchSize,
            HistoryPrunePause = TimeSpan.FromMilliseconds(1),
            HistoryPruneInterval = interval ?? TimeSpan.FromHours(1),
        },
        logger);

    /// <summary>Writes <paramref name="count"/> changes made at <paramref name="at"/> by <paramref name="actor"/>, in one unit.</summary>
    /// <summary>Records <paramref name="count"/> changes, then folds them into the usage counters (pruning never deletes a change not folded yet).</summary>
    private async Task RecordAsync(int count, DateTimeOffset at, string actor)
    {
        await Store.WriteAsync((session, _) =>
        {
            for (var i = 0; i < count; i++)
            {
                session.RecordChange(new Change { Type = ChangeTypes.SubnetUpdated, At = at, Actor = actor, SubnetId = Guid.NewGuid() });
            }

            return ValueTask.FromResult(true);
        });

        // The server's own fold may hold the position for a moment; this one then takes nothing and tries again.
        while (await Store.ReadAsync((session, ct) => session.FindUsageFoldLagAsync(ct)) > 0)
        {
            await Store.WriteAloneAsync((session, ct) => session.FoldUsageAsync(1_000, ct));
        }
    }

    private async Task<long> PrunedThroughAsync() => (await Store.ReadAsync((session, ct) => session.FindChangeLogBoundsAsync(null, ct))).PrunedThrough;

    /// <summary>The actor of every change left in the log, in commit order.</summary>
    private async Task<string[]> ActorsAsync()
    {
        var changes = await Store.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery { Limit = 1000 }, ct));
        return [.. changes.Select(c => c.Actor)];
    }
}

public sealed class ChangeLogPrunerTestsOnSqlite() : ChangeLogPrunerTests(StoreKind.Sqlite);

public sealed class ChangeLogPrunerTestsOnPostgres() : ChangeLogPrunerTests(StoreKind.Postgres);
