using System.Collections.Concurrent;

namespace Ipam.Changes;

/// <summary>
/// Tells readers of the change log in this process that changes were committed, so that a follower waiting
/// for the next change wakes at once instead of at its next poll. Raised after every commit of a unit that
/// recorded changes, with those changes. A reader of one tenant's changes waits for a commit of that tenant's
/// (<see cref="NextOf"/>), or for a token's revocation, which every follower reads: the commits of other tenants do
/// not wake it to read the log again for nothing, however many they make. Changes committed by other processes on
/// the same database do not raise it: readers that must see those poll as well.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource? _next;

    /// <summary>
    /// The task of each tenant whose readers wait, until a commit of its changes completes and removes it: one per
    /// tenant that has a reader waiting, or had one since its last commit.
    /// </summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _nextOf = new(StringComparer.Ordinal);

    /// <summary>
    /// A task that completes at the next commit of changes after this call. Take it before reading the log,
    /// then wait on it if the read found nothing new: a commit in between has completed it already.
    /// </summary>
    public Task Next
    {
        get
        {
            if (Volatile.Read(ref _next) is { } waiting)
            {
                return waiting.Task;
            }

            var created = NewWait();
            return (Interlocked.CompareExchange(ref _next, created, null) ?? created).Task;
        }
    }

    /// <summary>As <see cref="Next"/>, for a reader of <paramref name="tenantId"/>'s changes: completes at the next commit of one of them.</summary>
    public Task NextOf(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return _nextOf.GetOrAdd(tenantId, static _ => NewWait()).Task;
    }

    /// <summary>
    /// Completes the task of everyone waiting for any commit, and of those waiting for a tenant of <paramref name="changes"/>;
    /// the next <see cref="Next"/> or <see cref="NextOf"/> is a new one. Cheap when nobody waits.
    /// </summary>
    public void Raise(IReadOnlyList<Change> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Interlocked.Exchange(ref _next, null)?.TrySetResult();
        string? seen = null;
        foreach (var change in changes)
        {
            if (change.Type == ChangeTypes.TokenRevoked)
            {
                // A revocation belongs to no tenant, but every follower reads its own token's (ChangeQuery.RevocationOf)
                // and must end at once, whatever tenant it reads: revocations are rare, so all of them look again.
                WakeEveryTenant();
                continue;
            }

            // A unit's changes are mostly of one tenant, so each tenant is looked up once per run of its changes. The
            // lookup takes no lock; a reader that adds its task after it reads the log after that, and sees this commit.
            if (change.TenantId is not { } tenant || tenant == seen)
            {
                continue;
            }

            seen = tenant;
            if (_nextOf.ContainsKey(tenant) && _nextOf.TryRemove(tenant, out var waiting))
            {
                waiting.TrySetResult();
            }
        }
    }

    private void WakeEveryTenant()
    {
        foreach (var tenant in _nextOf.Keys)
        {
            if (_nextOf.TryRemove(tenant, out var waiting))
            {
                waiting.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewWait() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
