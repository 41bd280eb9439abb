using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// Group commit for a SQL store. Write requests queue here; up to
/// <see cref="GroupCommitOptions.MaxConcurrentBatches"/> transactions run at once, each taking every request
/// waiting when it starts (at most <see cref="GroupCommitOptions.MaxBatchSize"/>), and every caller is answered
/// only after the shared commit. A failing request is undone alone and never fails its neighbours
/// (<see cref="BatchRunner"/>). The store supplies its transactions and its judgement of failures
/// (<see cref="IGroupCommitHooks"/>).
/// </summary>
/// <remarks>
/// There is no writer thread. A caller that finds a transaction slot free runs the queued batch itself, so a
/// lone client pays no thread hand-offs (unless the store's calls block, <see cref="GroupCommitOptions.CallsBlock"/>:
/// then the thread pool runs it, and the caller only waits for the outcome, up to its deadline; the last request such a
/// transaction committed is answered on the thread that ran it, once its slot is free, so that its caller's code goes on
/// there rather than wake another thread); requests that arrive while the slots are busy wait and are then
/// committed together by the next drain, which runs on the thread pool. After a transaction of several
/// requests the next one waits a moment for as many (<see cref="BatchCompanions"/>), so that concurrent
/// clients keep sharing commits instead of the first one back committing alone. Work queued to run alone
/// (<see cref="IIpamStore.WriteAloneAsync{T}"/>) waits in a queue of its own and goes first, one request to a
/// transaction. Transient failures send the requests they touched round again after a jittered backoff; those that
/// lost to another transaction's locks (a deadlock, a lock wait that ran out) go round in the queue of work run alone
/// (<see cref="QueuedWrite.Contended"/>): run together again at once, they would take the same locks in the same
/// order while that transaction is still open, and deadlock with it again. Requests for a subnet whose row another
/// session holds (<see cref="IGroupCommitHooks.WaitForSubnet"/>) wait for it before they queue, new ones and those
/// going round again alike, so that they take no transaction slot while the row stays locked.
/// </remarks>
internal sealed class GroupCommitEngine
{
    private readonly ConcurrentQueue<QueuedWrite> _queue = new();
    private readonly ConcurrentQueue<QueuedWrite> _alone = new();
    private readonly IGroupCommitHooks _hooks;
    private readonly GroupCommitOptions _options;
    private readonly BatchCompanions _companions;
    private readonly BatchRunner _runner;
    private readonly TransactionsUnderWay _underWay = new();
    private int _running;
    private int _outstanding;
    private int _disposed;

    public GroupCommitEngine(IGroupCommitHooks hooks, GroupCommitOptions options)
    {
        _hooks = hooks;
        _options = options;
        _companions = new BatchCompanions(options.GroupCommitWait);
        _runner = new BatchRunner(hooks, () => Interlocked.Decrement(ref _outstanding), leavesLastAnswer: options.CallsBlock);
    }

    /// <summary>Write transactions started so far (each may carry many requests).</summary>
    public long Transactions => _runner.Transactions;

    /// <summary>Shared transactions run again with a savepoint per request because a request failed after writing.</summary>
    public long IsolatedRetries => _runner.IsolatedRetries;

    /// <summary>
    /// How long a write transaction may run before the store counts as stuck (<see cref="IsStalled"/>): longer than
    /// any request waits for one (the default request deadline), and than a large delete or import takes.
    /// </summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long the oldest write transaction running now has run (zero when none runs).</summary>
    public TimeSpan LongestTransaction => _underWay.Longest();

    /// <summary>
    /// Whether a write transaction has run longer than <see cref="StalledAfter"/>: its commit is most likely stuck
    /// (a frozen or failing disk, a synchronous standby that is gone), and so is every write queued behind it.
    /// </summary>
    public bool IsStalled => LongestTransaction > StalledAfter;

    /// <summary>
    /// Queues <paramref name="work"/>; the task completes once its transaction committed, or with its failure, or
    /// as soon as <paramref name="cancellationToken"/> is cancelled (see <see cref="QueuedWrite{T}.OutcomeAsync"/>).
    /// </summary>
    /// <remarks>With an <paramref name="address"/> (of <paramref name="subnetId"/>), see <see cref="WriteOrder"/>.</remarks>
    public Task<T> EnqueueAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, Guid? subnetId, IpAddress? address, CancellationToken cancellationToken) =>
        StoreTelemetry.TraceAsync(StoreTelemetry.Write, () => EnqueueUntracedAsync(work, subnetId, address, alone: false, cancellationToken));

    /// <summary>As <see cref="EnqueueAsync{T}"/>, for work that runs in a transaction of its own (see <see cref="IIpamStore.WriteAloneAsync{T}"/>).</summary>
    public Task<T> EnqueueAloneAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken) =>
        StoreTelemetry.TraceAsync(StoreTelemetry.Write, () => EnqueueUntracedAsync(work, null, null, alone: true, cancellationToken));

    private Task<T> EnqueueUntracedAsync<T>(
        Func<IIpamSession, CancellationToken, ValueTask<T>> work, Guid? subnetId, IpAddress? address, bool alone, CancellationToken cancellationToken)
    {
        // Counted before the check, so that disposal either sees this request or this request sees disposal.
        Interlocked.Increment(ref _outstanding);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Decrement(ref _outstanding);
            throw new StoreUnavailableException("The database is shutting down.");
        }

        var request = new QueuedWrite<T>(work, cancellationToken) { SubnetId = subnetId, Address = address, Alone = alone, Caller = Activity.Current?.Context ?? default };
        if (WaitOf(request) is { } wait)
        {
            _ = QueueAfterAsync(request, wait);
        }
        else
        {
            QueueOf(request).Enqueue(request);
            if (_options.CallsBlock && cancellationToken.CanBeCanceled)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static engine => _ = engine.DrainAsync(), this, preferLocal: false);
            }
            else
            {
                _ = DrainAsync(runBy: _options.CallsBlock ? request : null);
            }
        }

        return request.OutcomeAsync();
    }

    /// <summary>Refuses new requests and waits for those already accepted to be answered.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (Volatile.Read(ref _outstanding) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one batch if a transaction slot is free; hands what arrived meanwhile to the thread pool. <paramref name="runBy"/>
    /// is the request of the caller that runs it on its own thread, if one does (a store whose calls block).
    /// </summary>
    private async Task DrainAsync(QueuedWrite? runBy = null)
    {
        if (!TryTakeSlot())
        {
            return;
        }

        var batch = new List<QueuedWrite>();
        List<QueuedWrite>? retry = null;
        QueuedWrite? committed = null;
        try
        {
            if (_alone.TryDequeue(out var alone))
            {
                batch.Add(alone);
            }
            else
            {
                _companions.WaitFor(_queue, _options.MaxBatchSize);
                while (batch.Count < _options.MaxBatchSize && _queue.TryDequeue(out var request))
                {
                    batch.Add(request);
                }

                WriteOrder.Arrange(batch);
            }

            if (batch.Count > 0)
            {
                _companions.Started(batch.Count);
                var started = _underWay.Started();
                try
                {
                    (retry, committed) = await _runner.RunAsync(batch, runBy).ConfigureAwait(false);
                }
                finally
                {
                    _underWay.Ended(started);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        if (retry is { Count: > 0 })
        {
            _ = RetryLaterAsync(retry);
        }

        // Checked after giving the slot back: a request enqueued before that is seen here, one enqueued
        // after it finds the slot free and drains itself.
        if (!IsEmpty)
        {
            _ = Task.Run(() => DrainAsync());
        }

        // Last, on this thread (where the store's calls block): a lone client's request goes on without waking another
        // thread. Where the caller ran the batch, that is its own request, which nothing awaits yet.
        if (committed is not null)
        {
            _runner.AnswerHere(committed);
        }
    }

    private bool IsEmpty => _queue.IsEmpty && _alone.IsEmpty;

    private ConcurrentQueue<QueuedWrite> QueueOf(QueuedWrite request) => request.Alone || request.Contended ? _alone : _queue;

    private bool TryTakeSlot()
    {
        while (true)
        {
            var running = Volatile.Read(ref _running);
            if (running >= _options.MaxConcurrentBatches || IsEmpty)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                return true;
            }
        }
    }

    private async Task RetryLaterAsync(List<QueuedWrite> requests)
    {
        await Task.Delay(_hooks.Backoff(requests.Max(r => r.Attempts))).ConfigureAwait(false);
        foreach (var request in requests)
        {
            if (WaitOf(request) is { } wait)
            {
                _ = QueueAfterAsync(request, wait);
            }
            else
            {
                QueueOf(request).Enqueue(request);
            }
        }

        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>What the request waits for before it queues: the row of its subnet, while another session holds it.</summary>
    private Task? WaitOf(QueuedWrite request) =>
        request.SubnetId is { } subnetId ? _hooks.WaitForSubnet(subnetId, request.CancellationToken) : null;

    /// <summary>Queues the request once <paramref name="wait"/> ends (a request whose caller stopped waiting meanwhile is then answered so).</summary>
    private async Task QueueAfterAsync(QueuedWrite request, Task wait)
    {
        await wait.ConfigureAwait(false);
        QueueOf(request).Enqueue(request);
        await DrainAsync().ConfigureAwait(false);
    }
}
