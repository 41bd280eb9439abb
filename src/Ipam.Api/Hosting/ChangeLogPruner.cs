namespace Ipam.Api.Hosting;

/// <summary>
/// Deletes changes older than <see cref="IpamHostOptions.HistoryRetention"/> from the change log, at start and
/// then every <see cref="IpamHostOptions.HistoryPruneInterval"/>. It deletes in small write transactions with a
/// pause between them, so a large backlog never holds the writer (SQLite has only one) for long, and requests
/// keep being served while it runs. Each transaction also records how far the log has been pruned, which the events
/// feed compares a follower's cursor with (410 <c>cursor-expired</c>).
/// </summary>
internal sealed partial class ChangeLogPruner(IIpamStore store, TimeProvider time, IpamHostOptions options, ILogger<ChangeLogPruner> logger)
    : RecurringWork(time)
{
    protected override TimeSpan Interval => options.HistoryPruneInterval;

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var pruned = await PruneAsync(stoppingToken);
        if (pruned.Deleted > 0)
        {
            LogPruned(logger, pruned.Deleted, pruned.Batches, pruned.Cutoff);
        }
    }

    protected override void OnFailed(Exception exception) => LogFailed(logger, exception, exception.Message);

    /// <summary>Deletes every change older than the retention, one batch per write transaction; returns what it did.</summary>
    internal async Task<PruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow() - options.HistoryRetention;
        var limit = options.HistoryPruneBatchSize;
        var deleted = 0;
        var batches = 0;
        while (true)
        {
            var count = await store.WriteAsync((session, ct) => session.PruneChangesBeforeAsync(cutoff, limit, ct), cancellationToken);
            deleted += count;
            batches += count > 0 ? 1 : 0;

            // A batch short of the limit reached the first change young enough to keep.
            if (count < limit)
            {
                return new PruneResult(deleted, batches, cutoff);
            }

            await Task.Delay(options.HistoryPrunePause, Time, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Pruned {Count} change(s) made before {Cutoff:o} from the change log in {Batches} transaction(s)")]
    private static partial void LogPruned(ILogger logger, int count, int batches, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Pruning the change log failed: {Reason}; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string reason);
}
