using Ipam.Addressing;
using Ipam.Errors;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Postgres;

/// <summary>
/// The shared store: many stateless Ipam instances on one PostgreSQL database. Writes are READ COMMITTED
/// transactions on pooled connections; within an instance, concurrent writes share transactions (group
/// commit, see <see cref="PostgresWriter"/> and <see cref="GroupCommitEngine"/>), and across instances the database's row locks and constraints
/// keep them apart, with no global lock. Serialization failures, deadlocks, lock waits that ran out
/// (<see cref="PostgresStoreOptions.LockWait"/>) and lost connections are retried here with jittered backoff; callers
/// never see them, unless the retries outlast their deadline.
/// </summary>
public sealed class PostgresStore : IIpamStore
{
    /// <summary>Attempts per unit of work before a transient failure is reported as store-unavailable.</summary>
    public const int MaxAttempts = PostgresFailures.MaxAttempts;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresWriter _writer;
    private readonly GroupCommitEngine _groupCommit;

    public PostgresStore(string connectionString)
        : this(new PostgresStoreOptions { ConnectionString = connectionString })
    {
    }

    public PostgresStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        _writer = new PostgresWriter(_dataSource, presumesLogEnd: options.MaxConcurrentBatches == 1, options.LockWait);
        _groupCommit = new GroupCommitEngine(_writer, PostgresWriter.GroupCommitOptionsOf(options));
    }

    public bool IsShared => true;

    internal GroupCommitEngine GroupCommit => _groupCommit;

    internal PostgresWriter Writer => _writer;

    /// <summary>The pool the store's connections come from (tests reach a connection of it behind the store).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Creates or migrates the schema, in one transaction: a connection lost part way (the database restarting as the
    /// instance starts, a failover) leaves nothing half done, so the check is made again on a new connection, a few
    /// times, before it is reported as store-unavailable.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await PostgresMigrator.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (attempt < PostgresFailures.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PostgresFailures.Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new StoreUnavailableException($"PostgreSQL failed while the schema was checked: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// A statement on a connection of its own, unless a write transaction is stuck (<see cref="GroupCommitEngine.IsStalled"/>:
    /// with a synchronous standby gone, say, every commit waits while other statements still answer).
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        if (_groupCommit.IsStalled)
        {
            return false;
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            PostgresFailures.ForgetConnectionsAfter(e, _dataSource);
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a READ ONLY, REPEATABLE READ transaction of its own. Answers as soon as
    /// <paramref name="cancellationToken"/> is cancelled: Npgsql does not always heed cancellation while a server
    /// that accepted the connection stays silent, so an attempt may finish (and give back its connection) later.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return StoreTelemetry.TraceAsync(StoreTelemetry.Read, () => ReadWithRetriesAsync(work, cancellationToken).WaitAsync(cancellationToken));
    }

    public Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _groupCommit.EnqueueAsync(work, null, null, cancellationToken);
    }

    public Task<T> WriteAsync<T>(Guid subnetId, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _groupCommit.EnqueueAsync(work, subnetId, null, cancellationToken);
    }

    public Task<T> WriteAsync<T>(Guid subnetId, IpAddress address, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _groupCommit.EnqueueAsync(work, subnetId, address, cancellationToken);
    }

    public Task<T> WriteAloneAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return _groupCommit.EnqueueAloneAsync(work, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _groupCommit.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A read's transaction: one snapshot for all its statements, read-only. It goes with the read's first statement
    /// (<see cref="TransactionPrelude"/>) rather than as the driver's own <c>BEGIN</c>, a simple query the server answers
    /// at once, and a <c>SET TRANSACTION READ ONLY</c> after it, which took a round trip of its own: a read of one
    /// statement is two round trips, that statement's and the <c>COMMIT</c>. A read that fails or is given up is rolled
    /// back by the driver as the pool takes its connection.
    /// </summary>
    private const string BeginSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

    private async Task<T> ReadWithRetriesAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                var snapshot = new TransactionPrelude(BeginSnapshot);
                var result = await work(new SqlSession(connection, null, PostgresDialect.Instance, prelude: snapshot), cancellationToken).ConfigureAwait(false);
                if (snapshot.Sent)
                {
                    await using var commit = new NpgsqlCommand("COMMIT", connection);
                    await commit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            catch (Exception e) when (PostgresFailures.ShouldRetry(e, attempt, cancellationToken))
            {
                PostgresFailures.ForgetConnectionsAfter(e, _dataSource);
                await Task.Delay(PostgresFailures.Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                PostgresFailures.ForgetConnectionsAfter(e, _dataSource);
                throw PostgresFailures.Translate(e);
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
}
