using System.Collections.Concurrent;
using System.Data;
using Ipam.Errors;
using Ipam.Storage.Sql;
using Npgsql;
using NpgsqlTypes;

namespace Ipam.Storage.Postgres;

/// <summary>
/// Group commit for one Ipam instance on PostgreSQL. Write requests queue here; up to
/// <see cref="PostgresStoreOptions.MaxConcurrentBatches"/> transactions run at once, each taking every request
/// waiting when it starts, and every caller is answered only after the shared commit. A request that fails
/// without having changed anything is simply answered; one that fails after writing makes the transaction
/// run again with a savepoint per request, so that it is undone alone and never fails its neighbours.
/// Other instances on the same database do the same with their own transactions: the database's locks and
/// constraints keep them apart.
/// </summary>
/// <remarks>
/// A lone request starts on the caller's thread in a transaction of its own, so a single client pays
/// nothing for the queue; after a transaction of several requests the next one waits a moment for as many
/// (<see cref="BatchCompanions"/>, <see cref="PostgresStoreOptions.GroupCommitWait"/>). A transient failure
/// (deadlock, serialization failure, lost connection) sends the requests it touched round again after a
/// jittered backoff, up to <see cref="PostgresFailures.MaxAttempts"/> attempts each.
/// </remarks>
internal sealed class PostgresWriter(NpgsqlDataSource dataSource, PostgresStoreOptions options)
{
    private const string SetSavepoint = "SAVEPOINT unit";
    private const string MoveSavepoint = "RELEASE SAVEPOINT unit; SAVEPOINT unit";
    private const string RollbackToSavepoint = "ROLLBACK TO SAVEPOINT unit";

    private readonly ConcurrentQueue<QueuedWrite> _queue = new();
    private readonly BatchCompanions _companions = new(options.GroupCommitWait);
    private int _running;
    private long _transactions;
    private long _isolatedRetries;
    private int _outstanding;
    private volatile bool _disposed;

    /// <summary>Write transactions started so far (each may carry many requests).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Shared transactions run again with a savepoint per request because a request failed after writing.</summary>
    public long IsolatedRetries => Interlocked.Read(ref _isolatedRetries);

    public Task<T> EnqueueAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, Guid? subnetId, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            throw new StoreUnavailableException("The database is shutting down.");
        }

        var request = new QueuedWrite<T>(work, cancellationToken) { SubnetId = subnetId };
        Interlocked.Increment(ref _outstanding);
        _queue.Enqueue(request);
        _ = DrainAsync();
        return request.Task;
    }

    /// <summary>Refuses new requests and waits for those already accepted to be answered.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (Volatile.Read(ref _outstanding) > 0)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one batch if a transaction slot is free; hands what arrived meanwhile to the thread pool.</summary>
    private async Task DrainAsync()
    {
        if (!TryTakeSlot())
        {
            return;
        }

        var batch = new List<QueuedWrite>();
        try
        {
            _companions.WaitFor(_queue, options.MaxBatchSize);
            while (batch.Count < options.MaxBatchSize && _queue.TryDequeue(out var request))
            {
                batch.Add(request);
            }

            if (batch.Count > 0)
            {
                await RunBatchAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        // Checked after giving the slot back: a request enqueued before that is seen here, one enqueued
        // after it finds the slot free and drains itself.
        if (!_queue.IsEmpty)
        {
            _ = Task.Run(DrainAsync);
        }
    }

    private bool TryTakeSlot()
    {
        while (true)
        {
            var running = Volatile.Read(ref _running);
            if (running >= options.MaxConcurrentBatches || _queue.IsEmpty)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                return true;
            }
        }
    }

    private async Task RunBatchAsync(List<QueuedWrite> batch)
    {
        _companions.Started(batch.Count);
        batch.ForEach(r => r.Attempts++);
        var retry = new List<QueuedWrite>();
        var rerun = await RunTransactionAsync(batch, batch.Count == 1 ? Isolation.Alone : Isolation.Shared, retry).ConfigureAwait(false);
        if (rerun is not null)
        {
            Interlocked.Increment(ref _isolatedRetries);
            await RunTransactionAsync(rerun, Isolation.Savepoints, retry).ConfigureAwait(false);
        }

        if (retry.Count > 0)
        {
            _ = RetryLaterAsync(retry);
        }
    }

    /// <summary>
    /// Runs the requests in one transaction and answers them. In <see cref="Isolation.Shared"/> mode a request
    /// that fails without having changed anything is simply answered; one that fails after changing rows (or
    /// after a database error) cannot be undone alone, so the transaction is abandoned and its unanswered
    /// requests are returned, to run again with a savepoint each.
    /// </summary>
    private async Task<List<QueuedWrite>?> RunTransactionAsync(
        List<QueuedWrite> requests, Isolation isolation, List<QueuedWrite> retry)
    {
        var waiting = new Queue<QueuedWrite>(requests);
        var open = new List<(QueuedWrite Request, SqlSession Session)>(requests.Count);
        var savepoint = SavepointState.None;
        var sharedLocks = isolation == Isolation.Shared ? new Dictionary<Guid, long>() : null;
        Interlocked.Increment(ref _transactions);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
            if (sharedLocks is not null)
            {
                await LockSubnetsAsync(connection, transaction, requests, sharedLocks).ConfigureAwait(false);
            }

            while (waiting.TryDequeue(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    Answer(request, new OperationCanceledException(request.CancellationToken));
                    continue;
                }

                var session = new SqlSession(connection, transaction, PostgresDialect.Instance, sharedLocks: sharedLocks);
                open.Add((request, session));
                if (isolation == Isolation.Savepoints && savepoint != SavepointState.AtCurrent)
                {
                    // One savepoint marks where the current request began: after a success it moves forward
                    // (release and set again, one round trip); rolling back to it leaves it in place.
                    await ExecuteAsync(connection, transaction, savepoint == SavepointState.None ? SetSavepoint : MoveSavepoint).ConfigureAwait(false);
                    savepoint = SavepointState.AtCurrent;
                }

                try
                {
                    await request.RunAsync(session).ConfigureAwait(false);
                    savepoint = savepoint == SavepointState.None ? savepoint : SavepointState.Behind;
                }
                catch (Exception e) when (isolation != Isolation.Alone && connection.FullState == ConnectionState.Open)
                {
                    if (isolation == Isolation.Savepoints)
                    {
                        await ExecuteAsync(connection, transaction, RollbackToSavepoint).ConfigureAwait(false);
                    }
                    else if (session.Modified || !await IsUsableAsync(connection, transaction).ConfigureAwait(false))
                    {
                        throw new SharedTransactionSpoiled();
                    }

                    open.RemoveAt(open.Count - 1);
                    RunAll(session.RollbackActions);
                    Settle(request, e, retry);
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing of this transaction committed: undo what its requests did to caches, then answer or
            // retry (or run again, isolated) each request that had not been answered yet.
            for (var i = open.Count - 1; i >= 0; i--)
            {
                RunAll(open[i].Session.RollbackActions);
            }

            var unanswered = open.Select(o => o.Request).Concat(waiting).ToList();
            if (e is SharedTransactionSpoiled)
            {
                return unanswered;
            }

            unanswered.ForEach(r => Settle(r, e, retry));
            return null;
        }

        foreach (var (_, session) in open)
        {
            RunAll(session.CommitActions);
        }

        foreach (var (request, _) in open)
        {
            request.Complete();
            Interlocked.Decrement(ref _outstanding);
        }

        return null;
    }

    /// <summary>
    /// Takes the share locks of every subnet the requests named, in one statement (in id order, as every
    /// batch does), and remembers their revisions for the requests to use. Does nothing for fewer than two
    /// subnets: one costs the same round trip when its first request locks it.
    /// </summary>
    private static async Task LockSubnetsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<QueuedWrite> requests, Dictionary<Guid, long> sharedLocks)
    {
        var subnetIds = requests.Where(r => r.SubnetId is not null).Select(r => r.SubnetId!.Value).Distinct().ToArray();
        if (subnetIds.Length < 2)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT id, revision FROM subnets WHERE id = ANY($1) ORDER BY id FOR SHARE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = subnetIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            sharedLocks[reader.GetGuid(0)] = reader.GetInt64(1);
        }
    }

    /// <summary>False when an error has aborted the transaction (PostgreSQL then refuses every statement).</summary>
    private static async Task<bool> IsUsableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        try
        {
            await ExecuteAsync(connection, transaction, "SELECT 1").ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InFailedSqlTransaction)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private void Settle(QueuedWrite request, Exception e, List<QueuedWrite> retry)
    {
        if (PostgresFailures.ShouldRetry(e, request.Attempts, request.CancellationToken))
        {
            retry.Add(request);
        }
        else
        {
            Answer(request, PostgresFailures.Translate(e));
        }
    }

    private void Answer(QueuedWrite request, Exception failure)
    {
        request.Fail(failure);
        Interlocked.Decrement(ref _outstanding);
    }

    private async Task RetryLaterAsync(List<QueuedWrite> requests)
    {
        await Task.Delay(PostgresFailures.Backoff(requests.Max(r => r.Attempts))).ConfigureAwait(false);
        foreach (var request in requests)
        {
            _queue.Enqueue(request);
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private static void RunAll(IReadOnlyList<Action> actions)
    {
        for (var i = actions.Count - 1; i >= 0; i--)
        {
            actions[i]();
        }
    }

    private enum Isolation
    {
        /// <summary>A single request: its transaction is its own, so a failure just rolls it back.</summary>
        Alone,

        /// <summary>Several requests share the transaction with no savepoints (the common, cheap case).</summary>
        Shared,

        /// <summary>Several requests, each in its own savepoint, after a shared attempt could not isolate a failure.</summary>
        Savepoints,
    }

    private enum SavepointState
    {
        None,
        AtCurrent,
        Behind,
    }

    private sealed class SharedTransactionSpoiled : Exception;
}
