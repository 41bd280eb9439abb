using System.Diagnostics;

namespace Ipam.Api.Events;

/// <summary>
/// Reads the change log for one events request (a page, a long-poll or a stream), and waits for the next change when
/// the reader is at the end. A commit in this process wakes a waiting reader at once (<see cref="ChangeSignal"/>; a
/// reader of one tenant's changes, by a commit of that tenant's only); a commit by another instance on the same database
/// is seen at the next look at where the log ends, which every waiting reader of the instance shares
/// (<see cref="LogEndWatch"/>, every <see cref="PollInterval"/>): the reader reads its query again only when the log has
/// moved since it last read. Each read starts from the same position, the last change the reader was given: a tenant's
/// is read from the log's index by tenant, so that it costs the tenant's own changes after it, however many other
/// tenants make meanwhile, and the position handed back (next) says nothing of theirs.
/// </summary>
internal sealed class EventFeed(ChangeFeed changeFeed, ChangeSignal signal, LogEndWatch logEnd, CancellationToken stopping)
{
    /// <summary>How often a waiting reader looks at the database for changes that other instances committed.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // Whether the next wait must start with a read; and where the log ended, by a look finished before the last read
    // began (null: not known), so that a look finding it there says that read missed nothing.
    private bool _mustRead = true;
    private long? _endBeforeLastRead;

    /// <summary>Whether the server is shutting down: waits end early, streams end.</summary>
    public bool Stopping => stopping.IsCancellationRequested;

    public Task<ChangeLogBounds> BoundsAsync(ChangeQuery query, CancellationToken cancellationToken) =>
        changeFeed.BoundsAsync(query, cancellationToken);

    public Task<long> TailStartAsync(ChangeQuery query, int count, CancellationToken cancellationToken) =>
        changeFeed.TailStartAsync(query, count, cancellationToken);

    /// <summary>
    /// The committed changes after <c>query.After</c>; when there are none yet, waits up to <paramref name="wait"/>
    /// for some to commit. Empty when the time is up or the server is stopping. A reader that calls again with the same
    /// query, having been given nothing, does not read again until the log has moved.
    /// </summary>
    public async Task<IReadOnlyList<Change>> ReadAsync(ChangeQuery query, TimeSpan wait, CancellationToken cancellationToken)
    {
        // Waits are measured on the wall clock: the domain's TimeProvider may be a test's scripted one.
        var started = Stopwatch.GetTimestamp();
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        while (true)
        {
            // Taken before the read, so that a commit between the read and the wait is not missed.
            var committed = query.TenantId is { } tenant ? signal.NextOf(tenant) : signal.Next;
            if (_mustRead)
            {
                _endBeforeLastRead = logEnd.LastSeen;
                var changes = await changeFeed.ListAsync(query, cancellationToken);
                _mustRead = changes.Count > 0;
                if (changes.Count > 0)
                {
                    return changes;
                }
            }

            var left = wait - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || Stopping)
            {
                return [];
            }

            await committed.WaitAsync(left < PollInterval ? left : PollInterval, waiting.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (Stopping)
            {
                return [];
            }

            if (committed.IsCompleted)
            {
                _mustRead = true;
                continue;
            }

            var end = await logEnd.RecentEndAsync(cancellationToken);
            _mustRead = _endBeforeLastRead is not { } seen || end != seen;
        }
    }
}
