using System.Collections.Concurrent;
using Ipam.Errors;
using Ipam.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database. SQLite allows one writer at a time, so instead of letting
/// connections fight over the lock, requests queue here and are committed in batches (group commit): each
/// request inside its own savepoint, so a failing request is undone alone, and every caller is answered
/// only after the shared commit is durable.
/// </summary>
/// <remarks>
/// There is no writer thread. A caller that finds the writer idle runs the queued batch itself, so a lone
/// client pays no thread hand-offs; requests that arrive while a commit is in flight wait and are then
/// committed together by the next drain, which runs on the thread pool. After a batch of several requests
/// the next drain waits a fraction of a millisecond for that many to queue (<see cref="BatchCompanions"/>,
/// <see cref="SqliteStoreOptions.GroupCommitWait"/>), so that concurrent clients keep sharing commits
/// instead of the first one back committing alone.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const string Savepoint = "unit";

    private readonly ConcurrentQueue<QueuedWrite> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommandCache _commands = new();
    private readonly SqliteCheckpointer _checkpointer;
    private readonly int _maxBatchSize;
    private readonly BatchCompanions _companions;
    private readonly List<QueuedWrite> _batch;
    private int _draining;
    private volatile bool _disposed;

    public SqliteWriter(SqliteConnection connection, int maxBatchSize, TimeSpan groupCommitWait, SqliteCheckpointer checkpointer)
    {
        _connection = connection;
        _checkpointer = checkpointer;
        _maxBatchSize = maxBatchSize;
        _companions = new BatchCompanions(groupCommitWait);
        _batch = new List<QueuedWrite>(maxBatchSize);
    }

    public Task<T> EnqueueAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            throw new StoreUnavailableException("The database is shutting down.");
        }

        var request = new QueuedWrite<T>(work, cancellationToken);
        _queue.Enqueue(request);
        _ = DrainAsync();
        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (Volatile.Read(ref _draining) != 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        await DrainAsync().ConfigureAwait(false);
        _commands.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Runs one batch if no one else is; hands any requests that arrived meanwhile to the thread pool.</summary>
    private async Task DrainAsync()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
        {
            return;
        }

        try
        {
            _companions.WaitFor(_queue, _maxBatchSize);
            while (_batch.Count < _maxBatchSize && _queue.TryDequeue(out var request))
            {
                _batch.Add(request);
            }

            if (_batch.Count > 0)
            {
                await RunBatchAsync(_batch).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Only reached if the connection itself broke; no request of the batch was committed.
            var failure = new StoreUnavailableException($"The database failed: {e.Message}", e);
            _batch.ForEach(r => r.Fail(failure));
        }
        finally
        {
            _batch.Clear();
            Volatile.Write(ref _draining, 0);
        }

        // Checked after releasing the flag: anything enqueued before the release is seen here, anything
        // enqueued after it starts its own drain.
        if (!_queue.IsEmpty)
        {
            _ = Task.Run(DrainAsync);
        }
    }

    private async Task RunBatchAsync(List<QueuedWrite> batch)
    {
        _companions.Started(batch.Count);
        var succeeded = new List<QueuedWrite>(batch.Count);
        var commitActions = new List<Action>();
        var rollbackActions = new List<Action>();
        if (_checkpointer.TakeResetRequest())
        {
            RestartWal();
        }

        SqliteTransaction transaction;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException e)
        {
            var failure = new StoreUnavailableException($"Could not start a transaction: {e.Message}", e);
            batch.ForEach(r => r.Fail(failure));
            return;
        }

        await using (transaction.ConfigureAwait(false))
        {
            foreach (var request in batch)
            {
                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Fail(new OperationCanceledException(request.CancellationToken));
                    continue;
                }

                var session = new SqlSession(_connection, transaction, SqliteDialect.Instance, _commands);
                transaction.Save(Savepoint);
                try
                {
                    await request.RunAsync(session).ConfigureAwait(false);
                    transaction.Release(Savepoint);
                    succeeded.Add(request);
                    commitActions.AddRange(session.CommitActions);
                    rollbackActions.AddRange(session.RollbackActions);
                }
                catch (Exception e)
                {
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                    RunAll(session.RollbackActions);
                    request.Fail(Translate(e));
                }
            }

            try
            {
                transaction.Commit();
            }
            catch (SqliteException e)
            {
                RunAll(rollbackActions);
                var failure = new StoreUnavailableException($"Could not commit: {e.Message}", e);
                succeeded.ForEach(r => r.Fail(failure));
                return;
            }
        }

        _checkpointer.Committed();
        RunAll(commitActions);
        succeeded.ForEach(r => r.Complete());
    }

    /// <summary>
    /// Lets the WAL start over from its beginning (see <see cref="SqliteCheckpointer"/>): only the writer can,
    /// between two transactions. Most pages were already copied in the background, so this is short.
    /// </summary>
    private void RestartWal()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(RESTART);";
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // The WAL only grows on until the next request; the batch itself is unaffected.
        }
    }

    private static void RunAll(IReadOnlyList<Action> actions)
    {
        for (var i = actions.Count - 1; i >= 0; i--)
        {
            actions[i]();
        }
    }

    private static Exception Translate(Exception e) => e switch
    {
        SqliteException sqlite => new StoreUnavailableException($"The database refused the change: {sqlite.Message}", sqlite),
        _ => e,
    };
}
