using System.Collections.Concurrent;
using System.Data;

namespace Ipam.Storage.Postgres;

/// <summary>
/// Subnets whose row another session holds locked (an operator's <c>SELECT … FOR UPDATE</c> left open in psql, another
/// tool's long transaction), as this instance learnt when a request for one, run in a transaction of its own, ran out
/// of its lock wait (<see cref="PostgresWriter.LostToLock"/>). Requests for such a subnet wait here, away from the
/// writer, instead of each taking a transaction to wait for the same lock again while the instance's other requests
/// queue behind it: one connection per subnet waits for the row (a probe, at most <see cref="ProbeWait"/> at a time,
/// then another while requests still wait), and they go on as soon as it gets it.
/// </summary>
/// <remarks>
/// A subnet stays marked after a probe that ran out with nobody waiting any longer: the next request for it starts
/// another, which costs one round trip if the row was freed meanwhile. A probe that cannot tell (the database is away)
/// lets its requests go: they then meet whatever failed as their own failure. A subnet deleted meanwhile has no row to
/// wait for, and its requests go on to be told so.
/// </remarks>
internal sealed class LockedSubnets(NpgsqlDataSource dataSource)
{
    /// <summary>How long one probe waits for a locked subnet's row.</summary>
    public static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    private static readonly string SetProbeWait = $"SET LOCAL lock_timeout = {(long)ProbeWait.TotalMilliseconds}";

    private readonly ConcurrentDictionary<Guid, Task<bool>> _probes = new();
    private readonly Lock _gate = new();

    /// <summary>Marks the subnet's row as held by another session, and starts a probe unless one is under way.</summary>
    public void Locked(Guid subnetId) => Probe(subnetId);

    /// <summary>
    /// A wait until the subnet's row is free, or until <paramref name="cancellationToken"/> is cancelled; null when the
    /// subnet is not marked. It never fails. A caller whose wait cannot be cancelled waits for one probe only.
    /// </summary>
    public Task? WaitFor(Guid subnetId, CancellationToken cancellationToken) =>
        _probes.TryGetValue(subnetId, out var probe) ? WaitUntilFreeAsync(subnetId, probe, cancellationToken) : null;

    private async Task WaitUntilFreeAsync(Guid subnetId, Task<bool> probe, CancellationToken cancellationToken)
    {
        try
        {
            while (!await probe.WaitAsync(cancellationToken).ConfigureAwait(false) && cancellationToken.CanBeCanceled)
            {
                probe = Probe(subnetId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stopped waiting; its request is answered as one that never started.
        }
    }

    /// <summary>The probe of the subnet under way, or a new one; one that found the row free unmarks the subnet.</summary>
    private Task<bool> Probe(Guid subnetId)
    {
        lock (_gate)
        {
            if (_probes.TryGetValue(subnetId, out var current) && !current.IsCompleted)
            {
                return current;
            }

            var probe = Task.Run(() => ProbeAsync(subnetId));
            _probes[subnetId] = probe;
            _ = probe.ContinueWith(Unmark, subnetId, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return probe;
        }
    }

    /// <summary>Unmarks the subnet once its probe found the row free (a probe never fails), unless a newer probe took its place.</summary>
    private void Unmark(Task<bool> probe, object? subnetId)
    {
        if (probe.Result)
        {
            lock (_gate)
            {
                _probes.TryRemove(new KeyValuePair<Guid, Task<bool>>((Guid)subnetId!, probe));
            }
        }
    }

    /// <summary>Whether the subnet's row could be share-locked (as a write transaction takes it) within <see cref="ProbeWait"/>.</summary>
    private async Task<bool> ProbeAsync(Guid subnetId)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SetProbeWait));
            var hold = new NpgsqlBatchCommand("SELECT 1 FROM subnets WHERE id = $1 FOR SHARE");
            hold.Parameters.Add(new NpgsqlParameter { Value = subnetId });
            batch.BatchCommands.Add(hold);
            await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
        catch (Exception)
        {
            // Cannot tell (the database is away, the store shutting down): the requests go, and meet it themselves.
            return true;
        }
    }
}
