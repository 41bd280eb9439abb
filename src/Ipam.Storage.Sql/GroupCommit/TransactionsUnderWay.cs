using System.Diagnostics;

namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// When each write transaction running now began, so that a probe can tell a store whose writes are stuck (a
/// commit waiting on a frozen file system, on a synchronous standby that is gone) from one that is merely busy.
/// </summary>
internal sealed class TransactionsUnderWay
{
    private readonly Lock _gate = new();
    private readonly List<long> _startedAt = [];

    /// <summary>Notes a transaction beginning now; returns what <see cref="Ended"/> takes.</summary>
    public long Started()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _startedAt.Add(now);
        }

        return now;
    }

    public void Ended(long startedAt)
    {
        lock (_gate)
        {
            _startedAt.Remove(startedAt);
        }
    }

    /// <summary>How long the oldest transaction running now has run; zero when none runs.</summary>
    public TimeSpan Longest()
    {
        long oldest;
        lock (_gate)
        {
            if (_startedAt.Count == 0)
            {
                return TimeSpan.Zero;
            }

            oldest = _startedAt.Min();
        }

        return Stopwatch.GetElapsedTime(oldest);
    }
}
