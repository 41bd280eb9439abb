using Ipam.Storage.Sql.GroupCommit;
using NpgsqlTypes;

namespace Ipam.Storage.Postgres;

/// <summary>
/// Write transactions for group commit on PostgreSQL: READ COMMITTED, each on a pooled connection of its own,
/// up to <see cref="PostgresStoreOptions.MaxConcurrentBatches"/> at once. Several requests first share a
/// transaction without savepoints (each savepoint is a round trip); only a request that fails after writing
/// makes the engine run its neighbours again with one each. Other instances on the same database do the same
/// with their own transactions: the database's locks and constraints keep them apart. Deadlocks,
/// serialization failures and lost connections are retried after a jittered backoff, up to
/// <see cref="PostgresFailures.MaxAttempts"/> runs of each request (failures from other transactions' locks for as
/// long as a caller with a deadline waits). A transaction (other than one that runs its
/// requests with savepoints) holds its allocation inserts back to send them with its commit
/// (<see cref="DeferredInserts"/>); after one of those failed, because
/// another instance took the same address, the next transactions send each insert at once for a while, so that
/// instances contending for the same addresses (the lowest free ones, say) do not keep abandoning transactions.
/// A request that lost to another transaction's locks (a deadlock: two instances' batches inserting the same picks
/// in different orders) runs again alone, waiting at most <see cref="ContendedLockWait"/> for a lock: the other
/// transaction is most likely still open and the request's index unchanged, so the same picks in a batch would
/// deadlock with it again, a second of <c>deadlock_timeout</c> each time, until the request's deadline. For
/// <see cref="ContentionPause"/> after such a failure every transaction of this instance waits that briefly: the
/// instance's next batches pick from the same index as the one that lost, so they would take the addresses the other
/// transaction is about to insert, again and again, and it would never get to commit.
/// </summary>
/// <remarks>
/// <para>
/// Every transaction waits at most <see cref="LockWait"/> for a row lock (<c>lock_timeout</c>, set in the transaction
/// with its first statement, so that it costs no round trip and stays inside the transaction behind a transaction
/// pooler). A lock held from outside Ipam (an operator's <c>SELECT … FOR UPDATE</c> left open, another tool's long
/// transaction) then holds up the writer that briefly, not until the command times out with every other request queued
/// behind it: the wait running out counts as contention (above), so the batch's requests run again alone and those of
/// other subnets commit. A request that ran alone and ran out of its wait for a subnet tells <see cref="LockedSubnets"/>,
/// and the requests for that subnet then wait for its row away from the writer, until it is free or their deadline
/// passes (contention is retried for as long as the caller waits: <see cref="PostgresFailures.ShouldRetry"/>). The wait
/// is lifted before the change log's commit-order lock, which only commits under way hold.
/// </para>
/// <para>
/// With <paramref name="presumesLogEnd"/> (one write transaction at a time, so that none of this instance's own
/// commits lands between another's look and its commit), a unit may act on its indexes as caught up to the
/// follower's position without reading the log, and the commit checks that nothing was appended since (see
/// <see cref="DeferredInserts.TryPresumeLogEnd"/>): a lone allocation is then one round trip. When the check fails,
/// because another instance wrote meanwhile, the transaction runs again the careful way and the pause below
/// applies to presuming as well.
/// </para>
/// </remarks>
internal sealed class PostgresWriter(NpgsqlDataSource dataSource, bool presumesLogEnd, TimeSpan lockWait) : IGroupCommitHooks
{
    /// <summary>How long inserts are not held back, nor the log end presumed, after a held-back insert or check failed.</summary>
    public static readonly TimeSpan DeferralPause = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>lock_timeout</c> of a contended transaction: well below PostgreSQL's <c>deadlock_timeout</c> (1 s by
    /// default), so that a cycle with another transaction ends when this one gives up, and long enough for most
    /// transactions it waits for to commit, after which its insert simply meets the taken address.
    /// </summary>
    public static readonly TimeSpan ContendedLockWait = TimeSpan.FromMilliseconds(200);

    /// <summary>How long every transaction waits only briefly for locks after one lost to another's (see <see cref="ContendedLockWait"/>).</summary>
    public static readonly TimeSpan ContentionPause = TimeSpan.FromSeconds(2);

    /// <summary>The transaction's first statement (see <see cref="TransactionPrelude"/>).</summary>
    private const string Begin = "BEGIN ISOLATION LEVEL READ COMMITTED";

    /// <summary>Sent before the commit-order lock: the wait the server's settings give, as before the transaction set its own.</summary>
    private const string LiftLockWait = "SET LOCAL lock_timeout TO DEFAULT";

    private readonly string _lockWait = SetLockTimeout(lockWait);
    private readonly string _contendedLockWait = SetLockTimeout(lockWait < ContendedLockWait ? lockWait : ContendedLockWait);
    private readonly LockedSubnets _lockedSubnets = new(dataSource);
    private long _shortLockWaitsUntil;
    private long _deferAgainAt;
    private long _unplacedCommits;

    public static GroupCommitOptions GroupCommitOptionsOf(PostgresStoreOptions options) => new()
    {
        MaxBatchSize = options.MaxBatchSize,
        MaxConcurrentBatches = options.MaxConcurrentBatches,
        GroupCommitWait = options.GroupCommitWait,
    };

    /// <summary>How long a transaction waits for a row lock, unless it waits only <see cref="ContendedLockWait"/> (see the remarks).</summary>
    public TimeSpan LockWait => lockWait;

    public async ValueTask<IWriteTransaction> BeginAsync(Isolation isolation, IReadOnlyList<Guid> subnetIds, bool contended)
    {
        var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        PostgresWriteTransaction? transaction = null;
        try
        {
            var briefly = contended || Environment.TickCount64 < Volatile.Read(ref _shortLockWaitsUntil);
            var prelude = new TransactionPrelude(Begin, briefly ? _contendedLockWait : _lockWait, LiftLockWait);
            var defers = DefersInserts && isolation != Isolation.Savepoints;
            var heldRevisions = isolation == Isolation.Shared || defers ? new Dictionary<Guid, long>() : null;
            var deferred = defers ? new DeferredInserts(presumesLogEnd, alone: isolation == Isolation.Alone) : null;
            transaction = new PostgresWriteTransaction(connection, heldRevisions, deferred, PauseDeferralIfFailed,
                Volatile.Read(ref _unplacedCommits), () => Interlocked.Increment(ref _unplacedCommits), prelude);
            if (isolation == Isolation.Shared)
            {
                await LockSubnetsAsync(connection, prelude, subnetIds, heldRevisions!).ConfigureAwait(false);
            }

            return transaction;
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Whether this instance's transactions hold their allocation inserts back (and may presume the log end) now.</summary>
    public bool DefersInserts => Environment.TickCount64 >= Volatile.Read(ref _deferAgainAt);

    private void PauseDeferralIfFailed(DeferredInserts? deferred)
    {
        if (deferred?.PausesDeferral == true)
        {
            Volatile.Write(ref _deferAgainAt, Environment.TickCount64 + (long)DeferralPause.TotalMilliseconds);
        }
    }

    public bool ShouldRetry(Exception failure, int attempts, CancellationToken cancellationToken)
    {
        PostgresFailures.ForgetConnectionsAfter(failure, dataSource);
        return PostgresFailures.ShouldRetry(failure, attempts, cancellationToken);
    }

    public TimeSpan Backoff(int attempts) => PostgresFailures.Backoff(attempts);

    /// <summary>Whether the failure came from another transaction's locks; if so, starts a <see cref="ContentionPause"/>.</summary>
    public bool IsContention(Exception failure)
    {
        if (!PostgresFailures.IsContention(failure))
        {
            return false;
        }

        Volatile.Write(ref _shortLockWaitsUntil, Environment.TickCount64 + (long)ContentionPause.TotalMilliseconds);
        return true;
    }

    public Exception Translate(Exception failure) => PostgresFailures.Translate(failure);

    /// <summary>A wait for a lock that ran out marks the subnet's row as held by another session (see <see cref="LockedSubnets"/>); a deadlock does not.</summary>
    public void LostToLock(Guid subnetId, Exception failure)
    {
        if (failure is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
        {
            _lockedSubnets.Locked(subnetId);
        }
    }

    public Task? WaitForSubnet(Guid subnetId, CancellationToken cancellationToken) => _lockedSubnets.WaitFor(subnetId, cancellationToken);

    private static string SetLockTimeout(TimeSpan wait) => $"SET LOCAL lock_timeout = {Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds))}";

    /// <summary>
    /// Takes the share locks of every subnet the requests named, in one statement (in id order, as every
    /// batch does), sent with the transaction's <paramref name="prelude"/>, and remembers their revisions for the
    /// requests to use. Does nothing for fewer than two subnets: one costs the same round trip when its first request locks it.
    /// </summary>
    private static async Task LockSubnetsAsync(
        NpgsqlConnection connection, TransactionPrelude prelude, IReadOnlyList<Guid> subnetIds, Dictionary<Guid, long> heldRevisions)
    {
        if (subnetIds.Count < 2)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in prelude.Take() ?? [])
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        var select = new NpgsqlBatchCommand("SELECT id, revision FROM subnets WHERE id = ANY($1) ORDER BY id FOR SHARE");
        select.Parameters.Add(new NpgsqlParameter { Value = subnetIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        batch.BatchCommands.Add(select);
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            heldRevisions[reader.GetGuid(0)] = reader.GetInt64(1);
        }
    }
}
