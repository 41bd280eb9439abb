namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>
/// Runs one batch of requests in a write transaction and answers each: after the commit, or with its own
/// failure. A lone request runs <see cref="Isolation.Alone"/>. Several run <see cref="Isolation.Shared"/> first:
/// a request that fails without having changed anything is simply answered; one that fails after writing cannot
/// be undone alone, so the transaction is abandoned and its unanswered requests run again,
/// <see cref="Isolation.Savepoints"/>, each in a savepoint of its own. A failure that came from another
/// transaction's locks (<see cref="IGroupCommitHooks.IsContention"/>) is not run again at once: that transaction is
/// most likely still open, and the same requests would take the same locks in the same order. Every request it
/// touched goes round again after a backoff, <see cref="QueuedWrite.Contended"/>; so do all of them when the
/// transaction lost before any ran, taking the locks of every subnet they named. A request that lost alone tells the
/// store which subnet it was for (<see cref="IGroupCommitHooks.LostToLock"/>).
/// </summary>
/// <remarks>
/// With <paramref name="leavesLastAnswer"/>, the last request a transaction committed is not answered here but returned,
/// for the caller to answer on its own thread once it has let go of its transaction slot (<see cref="AnswerHere"/>).
/// A batch run by the caller of one of its requests leaves that request's answer instead, and only that one: the
/// caller takes it when it is done, and every other caller goes on on a thread of its own.
/// </remarks>
internal sealed class BatchRunner(IGroupCommitHooks hooks, Action answered, bool leavesLastAnswer)
{
    private long _transactions;
    private long _isolatedRetries;

    private enum SavepointState
    {
        None,
        AtCurrent,
        Behind,
    }

    public long Transactions => Interlocked.Read(ref _transactions);

    public long IsolatedRetries => Interlocked.Read(ref _isolatedRetries);

    /// <summary>
    /// Runs the batch; returns the requests that failed transiently, to run again after a backoff, and the request
    /// left unanswered (see <see cref="BatchRunner"/>), if any. <paramref name="runBy"/> is the request whose caller
    /// runs the batch on its own thread, if one does.
    /// </summary>
    public async Task<(List<QueuedWrite> Retry, QueuedWrite? Committed)> RunAsync(List<QueuedWrite> batch, QueuedWrite? runBy)
    {
        using var activity = StoreTelemetry.StartBatch(batch);
        batch.ForEach(r => r.Attempts++);
        var retry = new List<QueuedWrite>();
        var isolation = batch.Count == 1 ? Isolation.Alone : Isolation.Shared;
        var contended = batch.Count == 1 && batch[0].Contended;
        var (rerun, committed) = await RunTransactionAsync(batch, isolation, contended, retry, runBy).ConfigureAwait(false);
        if (rerun is not null)
        {
            Interlocked.Increment(ref _isolatedRetries);
            (_, committed) = await RunTransactionAsync(rerun, Isolation.Savepoints, contended, retry, runBy).ConfigureAwait(false);
        }

        return (retry, committed);
    }

    /// <summary>Answers the request <see cref="RunAsync"/> left unanswered; the caller's code goes on on this thread.</summary>
    public void AnswerHere(QueuedWrite committed)
    {
        committed.CompleteHere();
        answered();
    }

    /// <summary>
    /// Runs the requests in one transaction and answers them, or adds them to <paramref name="retry"/>, but for
    /// the last one committed where the caller answers it, which it returns. Returns the unanswered requests when a
    /// failure spoiled a <see cref="Isolation.Shared"/> transaction.
    /// </summary>
    private async Task<(List<QueuedWrite>? Rerun, QueuedWrite? Committed)> RunTransactionAsync(
        List<QueuedWrite> requests, Isolation isolation, bool contended, List<QueuedWrite> retry, QueuedWrite? runBy)
    {
        var waiting = new Queue<QueuedWrite>(requests);
        var open = new List<(QueuedWrite Request, IUnitOfWork Unit)>(requests.Count);
        var savepoint = SavepointState.None;
        // The request whose own work failed, if it has not been answered yet, and that failure.
        QueuedWrite? culprit = null;
        Exception? culpritFailure = null;
        // A failure from another transaction's locks, which abandons the transaction: its requests go round again.
        Exception? contention = null;
        var committed = false;
        var begun = false;
        Interlocked.Increment(ref _transactions);
        try
        {
            await using var transaction = await hooks.BeginAsync(isolation, isolation == Isolation.Shared ? SubnetsOf(requests) : [], contended).ConfigureAwait(false);
            begun = true;
            while (waiting.TryDequeue(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested || !request.TryStart())
                {
                    Answer(request, new OperationCanceledException(request.CancellationToken));
                    continue;
                }

                var session = transaction.CreateSession();
                open.Add((request, session));
                if (isolation == Isolation.Savepoints && savepoint != SavepointState.AtCurrent)
                {
                    await (savepoint == SavepointState.None ? transaction.SetSavepointAsync() : transaction.MoveSavepointAsync()).ConfigureAwait(false);
                    savepoint = SavepointState.AtCurrent;
                }

                try
                {
                    culprit = request;
                    await request.RunAsync(session).ConfigureAwait(false);
                    culprit = null;
                    savepoint = savepoint == SavepointState.None ? savepoint : SavepointState.Behind;
                }
                catch (Exception e) when (isolation != Isolation.Alone && transaction.IsOpen)
                {
                    if (hooks.IsContention(e))
                    {
                        // Not undone alone, even with a savepoint: the next request would wait for the same open
                        // transaction while this one holds what the requests before it took.
                        contention = e;
                        throw new SharedTransactionSpoiledException();
                    }

                    if (isolation == Isolation.Savepoints)
                    {
                        // Throws if the database already rolled the whole transaction back (a full disk makes
                        // SQLite do so); then the catch below answers this request with its own failure.
                        culpritFailure = e;
                        await transaction.RollbackToSavepointAsync().ConfigureAwait(false);
                        culpritFailure = null;
                    }
                    else if (session.Modified || !await transaction.IsUsableAsync().ConfigureAwait(false))
                    {
                        throw new SharedTransactionSpoiledException();
                    }

                    open.RemoveAt(open.Count - 1);
                    RunBackwards(session.RollbackActions);
                    Settle(request, e, retry, own: true, ran: true, alone: false);
                    culprit = null;
                }
            }

            var appendedAfter = await transaction.CommitAsync([.. open.SelectMany(o => o.Unit.Changes)], [.. open.SelectMany(o => o.Unit.Recounts).Distinct()])
                .ConfigureAwait(false);
            committed = true;
            // The units' changes were appended in this order, each at the positions after the ones before it.
            for (var i = 0; appendedAfter is { } next && i < open.Count; i++)
            {
                open[i].Unit.ChangesAppendedAfter = next;
                appendedAfter = next + open[i].Unit.Changes.Count;
            }
        }
        catch (Exception) when (committed)
        {
            // Giving back the connection failed after the commit: the requests' work is done all the same.
        }
        catch (Exception e)
        {
            // Nothing of this transaction committed, or (outcome unknown) it may have: either way, undo what its
            // requests did to caches (rollback actions only drop entries, which is right both ways), then answer
            // or retry (or run again, isolated) each request that had not been answered yet. Work that may have
            // committed is never run again.
            for (var i = open.Count - 1; i >= 0; i--)
            {
                RunBackwards(open[i].Unit.RollbackActions);
            }

            var unanswered = open.Select(o => o.Request).Concat(waiting).ToList();
            if (e is SharedTransactionSpoiledException && contention is null)
            {
                unanswered.ForEach(r => r.Requeue());
                return (unanswered, null);
            }

            e = contention ?? e;

            foreach (var request in unanswered)
            {
                if (e is CommitOutcomeUnknownException)
                {
                    Answer(request, WriteFailures.OutcomeUnknown(e.InnerException ?? e));
                }
                else
                {
                    // Beginning may have locked every subnet the requests named, so a failure there is theirs alike.
                    Settle(request, request == culprit ? culpritFailure ?? e : e, retry, own: request == culprit,
                        ran: !begun || !waiting.Contains(request), alone: isolation == Isolation.Alone);
                }
            }

            return (null, null);
        }

        foreach (var (_, unit) in open)
        {
            foreach (var action in unit.CommitActions)
            {
                action();
            }
        }

        var left = LeftUnanswered(open, runBy);
        foreach (var (request, _) in open)
        {
            if (request != left)
            {
                request.Complete();
                answered();
            }
        }

        return (null, left);
    }

    private QueuedWrite? LeftUnanswered(List<(QueuedWrite Request, IUnitOfWork Unit)> committed, QueuedWrite? runBy)
    {
        if (runBy is not null)
        {
            return committed.Exists(c => c.Request == runBy) ? runBy : null;
        }

        return leavesLastAnswer && committed.Count > 0 ? committed[^1].Request : null;
    }

    private static Guid[] SubnetsOf(List<QueuedWrite> requests) =>
        [.. requests.Where(r => r.SubnetId is not null).Select(r => r.SubnetId!.Value).Distinct()];

    private static void RunBackwards(IReadOnlyList<Action> actions)
    {
        for (var i = actions.Count - 1; i >= 0; i--)
        {
            actions[i]();
        }
    }

    /// <summary>
    /// Sends a request whose changes were undone round again, or answers it: with its <paramref name="own"/>
    /// failure as the store translates it, or, when the transaction failed under it, with a store failure. One that
    /// <paramref name="ran"/> in a transaction that lost to another's locks runs again <see cref="QueuedWrite.Contended"/>,
    /// and, if it ran <paramref name="alone"/>, the store learns which subnet's request lost.
    /// </summary>
    private void Settle(QueuedWrite request, Exception e, List<QueuedWrite> retry, bool own, bool ran, bool alone)
    {
        var contention = ran && hooks.IsContention(e);
        if (contention && alone && request.SubnetId is { } subnetId)
        {
            hooks.LostToLock(subnetId, e);
        }

        if (hooks.ShouldRetry(e, request.Attempts, request.CancellationToken))
        {
            request.Contended |= contention;
            request.Requeue();
            retry.Add(request);
        }
        else
        {
            Answer(request, own ? hooks.Translate(e) : WriteFailures.OfTransaction(hooks.Translate(e)));
        }
    }

    private void Answer(QueuedWrite request, Exception failure)
    {
        request.Fail(failure);
        answered();
    }
}
