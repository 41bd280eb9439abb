using System.Data;
using Ipam.Errors;
using Npgsql;

namespace Ipam.Storage.Postgres;

/// <summary>
/// The shared store: many stateless Ipam instances on one PostgreSQL database. Each unit of work is one
/// READ COMMITTED transaction on a pooled connection; PostgreSQL flushes concurrent commits together, so
/// concurrency scales without a global lock. Serialization failures, deadlocks and lost connections are
/// retried here with bounded, jittered backoff; callers never see them.
/// </summary>
public sealed class PostgresStore : IIpamStore
{
    /// <summary>Attempts per unit of work before a transient failure is reported as store-unavailable.</summary>
    public const int MaxAttempts = 8;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public bool IsShared => true;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await PostgresMigrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(work, IsolationLevel.RepeatableRead, readOnly: true, cancellationToken);

    public Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(work, IsolationLevel.ReadCommitted, readOnly: false, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<T> RunAsync<T>(
        Func<IIpamSession, CancellationToken, ValueTask<T>> work, IsolationLevel isolation, bool readOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            PostgresSession? session = null;
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
                if (readOnly)
                {
                    await using var setReadOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction);
                    await setReadOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                session = new PostgresSession(connection, transaction);
                var result = await work(session, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                RunAll(session.CommitActions);
                return result;
            }
            catch (Exception e) when (IsTransient(e) && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                RunAll(session?.RollbackActions);
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                RunAll(session?.RollbackActions);
                throw e switch
                {
                    NpgsqlException or TimeoutException => new StoreUnavailableException($"PostgreSQL failed: {e.Message}", e),
                    _ => e,
                };
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new StoreUnavailableException($"Cannot connect to PostgreSQL: {e.Message}", e);
        }
    }

    /// <summary>Failures that a fresh attempt of the same unit of work can get past.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.LockNotAvailable,
        NpgsqlException npgsql => npgsql.IsTransient,
        StoreUnavailableException { Cause: NpgsqlException { IsTransient: true } } => true,
        _ => false,
    };

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(200, 2 << attempt) * (0.5 + Random.Shared.NextDouble()));

    private static void RunAll(IReadOnlyList<Action>? actions)
    {
        if (actions is null)
        {
            return;
        }

        for (var i = actions.Count - 1; i >= 0; i--)
        {
            actions[i]();
        }
    }
}
