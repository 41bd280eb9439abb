namespace Ipam.Allocations;

/// <summary>Changing a held allocation: its description, and when its reservation ends (renewed, shortened, or made permanent).</summary>
public sealed partial class AllocationService
{
    /// <summary>How many times an update reads the allocation again after another writer changed it in between.</summary>
    private const int MaxUpdateAttempts = 5;

    /// <summary>
    /// Sets what <paramref name="update"/> gives on the allocation of <paramref name="address"/> and records the change
    /// (<c>allocation.updated</c>, before and after) when anything differs. An address whose reservation has run out is
    /// free, as for every other request, even before the sweep releases it: allocation-not-found.
    /// </summary>
    /// <remarks>The address stays held by the same allocation, so the free-space indexes and the usage counters are untouched.</remarks>
    public Task<Allocation> UpdateAsync(Guid subnetId, IpAddress address, AllocationUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        changes.Access.CheckWrite();
        var arrived = time.GetUtcNow();
        if (update.ExpiresAt is { HasValue: true, Value: { } expires } && expires <= arrived)
        {
            throw ValidationException.InvalidRequest("expires_at", "expires_at must be in the future (null keeps the allocation until it is released).");
        }

        return store.WriteAsync(subnetId, address, async (session, ct) =>
        {
            var subnet = await LoadSubnetAsync(session, subnetId, ct).ConfigureAwait(false);

            // The update applies only to the row as read, so that the change recorded says what it was before. Another
            // writer's update in between (another instance on PostgreSQL) makes it read again; a release, not found.
            for (var attempt = 1; ; attempt++)
            {
                var current = await session.FindAllocationAsync(subnetId, address, ct).ConfigureAwait(false);
                if (current is null || current.ExpiresAt <= time.GetUtcNow())
                {
                    throw new AllocationNotFoundException(subnetId, address);
                }

                var description = update.Description.GetValueOrDefault(current.Description);
                var expiresAt = update.ExpiresAt.GetValueOrDefault(current.ExpiresAt);
                if (description == current.Description && expiresAt == current.ExpiresAt)
                {
                    return current;
                }

                if (await session.UpdateAllocationAsync(current, description, expiresAt, ct).ConfigureAwait(false) is { } updated)
                {
                    changes.AllocationUpdated(session, subnet, current, updated);
                    return updated;
                }

                if (attempt == MaxUpdateAttempts)
                {
                    throw new StoreUnavailableException(
                        $"Allocation {address} in subnet {subnetId} kept changing under this update ({MaxUpdateAttempts} reads); nothing was changed. Try again.");
                }
            }
        }, cancellationToken);
    }
}
