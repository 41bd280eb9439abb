using System.Threading.Channels;
using Ipam.Errors;
using Microsoft.Data.Sqlite;

namespace Ipam.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database. SQLite allows one writer at a time, so instead of letting
/// connections fight over the lock, requests queue here and each loop iteration runs everything queued in
/// one transaction (group commit): each request inside its own savepoint, so a failing request is undone
/// alone, and every caller is answered only after the shared commit is durable.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const string Savepoint = "unit";

    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new() { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteCommandCache _commands = new();
    private readonly int _maxBatchSize;
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection, int maxBatchSize)
    {
        _connection = connection;
        _maxBatchSize = maxBatchSize;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public Task<T> EnqueueAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var request = new WriteRequest<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            throw new StoreUnavailableException("The database is shutting down.");
        }

        return request.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _commands.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            await RunBatchAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task RunBatchAsync(List<WriteRequest> batch)
    {
        var succeeded = new List<WriteRequest>(batch.Count);
        var commitActions = new List<Action>();
        var rollbackActions = new List<Action>();
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

                var session = new SqliteSession(_connection, transaction, _commands);
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

        RunAll(commitActions);
        succeeded.ForEach(r => r.Complete());
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
