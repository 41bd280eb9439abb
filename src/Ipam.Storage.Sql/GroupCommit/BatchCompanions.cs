using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// The pacing of a store's group commit. The callers of a batch of several requests send their next ones a
/// moment after they are answered; the first one back would find the writer idle and commit alone while the
/// others queue behind it. So the next batch waits, briefly and yielding the CPU, until as many requests as
/// the last batch held are queued. After a lone request it never waits, so a single client never does.
/// </summary>
internal sealed class BatchCompanions(TimeSpan longestWait)
{
    private readonly long _longestWaitTicks = (long)(Math.Max(0, longestWait.TotalSeconds) * Stopwatch.Frequency);
    private int _lastBatchSize;

    /// <summary>Notes the size of a batch that is about to run.</summary>
    public void Started(int batchSize) => Volatile.Write(ref _lastBatchSize, batchSize);

    /// <summary>Waits until the last batch's number of requests (at most <paramref name="maxBatchSize"/>) is queued, or the wait runs out.</summary>
    public void WaitFor(ConcurrentQueue<QueuedWrite> queue, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var expected = Math.Min(Volatile.Read(ref _lastBatchSize), maxBatchSize);
        if (expected < 2 || _longestWaitTicks == 0)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + _longestWaitTicks;
        var spinner = new SpinWait();
        while (queue.Count < expected && Stopwatch.GetTimestamp() < deadline)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
