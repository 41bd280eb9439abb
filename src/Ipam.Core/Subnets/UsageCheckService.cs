namespace Ipam.Subnets;

/// <summary>
/// Compares every subnet's usage counters with a count of its allocation rows, and recounts the ones that
/// differ. The database keeps the counters itself, so a difference means something changed the rows or the
/// counters behind its back (a hand-made repair, a restore of one table); the operator runs the check. It also reads
/// every subnet, allocation pool and allocation row as the service does, and lists the ones it cannot read, which the
/// service refuses to work with (<see cref="UnreadableRowException"/>) and a repair leaves for the operator to mend.
/// </summary>
public sealed class UsageCheckService(IIpamStore store, ICallerContext caller)
{
    /// <summary>The most unreadable rows a check lists; it counts them all.</summary>
    public const int MaxUnreadableRows = 100;

    /// <summary>Finds the subnets whose counters differ from their rows (reads every allocation; changes nothing).</summary>
    public Task<UsageCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        CheckAdmin();
        return store.ReadAsync(FindAsync, cancellationToken);
    }

    /// <summary>Finds the subnets whose counters differ and recounts them, all in one transaction.</summary>
    public Task<UsageCheckResult> RepairAsync(CancellationToken cancellationToken = default)
    {
        CheckAdmin();
        return store.WriteAloneAsync(async (session, ct) =>
        {
            var found = await FindAsync(session, ct).ConfigureAwait(false);
            foreach (var mismatch in found.Mismatches)
            {
                // Held until commit, so that no allocation changes the counters between the recount and the commit.
                if (await session.FindSubnetAsync(mismatch.SubnetId, RowLock.ForUpdate, ct).ConfigureAwait(false) is not null)
                {
                    await session.RecountSubnetUsageAsync(mismatch.SubnetId, ct).ConfigureAwait(false);
                }
            }

            if (found.OwnerEntryMismatches > 0)
            {
                await session.RebuildOwnerEntriesAsync(ct).ConfigureAwait(false);
            }

            return found with { Repaired = found.Mismatches.Count > 0 || found.OwnerEntryMismatches > 0 };
        }, cancellationToken);
    }

    private static async ValueTask<UsageCheckResult> FindAsync(IIpamSession session, CancellationToken ct)
    {
        var subnets = await session.CountSubnetsAsync(ct).ConfigureAwait(false);
        var mismatches = await session.FindUsageMismatchesAsync(ct).ConfigureAwait(false);
        var (unreadable, count) = await session.FindUnreadableRowsAsync(MaxUnreadableRows, ct).ConfigureAwait(false);
        var owners = await session.CountOwnerEntryMismatchesAsync(ct).ConfigureAwait(false);
        return new UsageCheckResult(subnets, mismatches, false) { UnreadableRows = unreadable, UnreadableRowCount = count, OwnerEntryMismatches = owners };
    }

    private void CheckAdmin()
    {
        if (caller.Role < CallerRole.Admin)
        {
            throw new ForbiddenException(CallerRole.Admin, "Checking the usage counters needs an admin token.");
        }
    }
}
