namespace Ipam.Storage;

/// <summary>
/// A database holding subnets and allocations. Each unit of work runs in one transaction: it either
/// commits as a whole or leaves no trace. Adapters map their driver errors to domain errors and never
/// let a provider exception escape.
/// </summary>
public interface IIpamStore : IAsyncDisposable
{
    /// <summary>
    /// True when other processes may write the same database, so that a subnet pool's prefix index may miss
    /// their changes and is rebuilt before it reports no free prefix (free-space indexes catch up from the
    /// change log instead).
    /// </summary>
    bool IsShared { get; }

    /// <summary>Creates or migrates the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the database answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> on a consistent read-only snapshot.</summary>
    Task<T> ReadAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> atomically. An exception from the work undoes all of its changes and
    /// reaches the caller unchanged; the adapter may run several callers' work in one database
    /// transaction (each isolated by a savepoint), but answers each only after its changes are durable.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{IIpamSession, CancellationToken, ValueTask{T}}, CancellationToken)"/>, for
    /// work that reads the revision of subnet <paramref name="subnetId"/>: an adapter that runs
    /// several callers' work in one transaction may read (and lock) all their subnets at once.
    /// </summary>
    Task<T> WriteAsync<T>(Guid subnetId, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync(work, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Guid, Func{IIpamSession, CancellationToken, ValueTask{T}}, CancellationToken)"/>, for
    /// work that writes the row of one address the caller named in that subnet (allocates or releases it): an adapter
    /// that runs several callers' work in one transaction runs such work in the order of subnet and address. A
    /// transaction then waits only for a named address above every named address it holds, so two never wait for
    /// each other over named addresses, where in arrival order two instances given the same addresses in opposite
    /// orders deadlock. (Addresses a strategy picks are not ordered; two picks meeting is rare.)
    /// </summary>
    Task<T> WriteAsync<T>(Guid subnetId, IpAddress address, Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync(subnetId, work, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{IIpamSession, CancellationToken, ValueTask{T}}, CancellationToken)"/>, for
    /// work that locks for update a row other callers' work locks shared (a subnet it changes or deletes, with its
    /// <see cref="RowLock.ForUpdate"/>): an adapter that runs several callers' work in one transaction runs this
    /// work in a transaction of its own. Waiting for its lock inside a shared transaction would hold the locks of
    /// the others' work meanwhile, and one of them may be waiting for this subnet: a deadlock.
    /// </summary>
    Task<T> WriteAloneAsync<T>(Func<IIpamSession, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync(work, cancellationToken);
}
