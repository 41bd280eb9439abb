namespace Ipam.Changes;

/// <summary>
/// Reads the change log for the events feed. A caller limited to a tenant reads only its tenant's changes
/// (naming another tenant is refused); an admin reads every change, or one tenant's when it names one.
/// </summary>
public sealed class ChangeFeed(IIpamStore store, ICallerContext caller)
{
    private readonly CallerAccess access = new(caller);

    /// <summary>
    /// The query limited to what the caller may see; throws <see cref="Errors.ForbiddenException"/> when it names
    /// another tenant. A stream checks it before it starts, since it cannot answer with an error once it has.
    /// </summary>
    public ChangeQuery Authorize(ChangeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query with { TenantId = access.TenantOf(query.TenantId) };
    }

    /// <summary>A page of committed changes after <c>query.After</c>, in commit order, that the caller may see.</summary>
    public Task<IReadOnlyList<Change>> ListAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        query = Authorize(query);
        return store.ReadAsync((session, ct) => session.ListChangesAsync(query, ct), cancellationToken);
    }

    /// <summary>
    /// Where a page of the last <paramref name="count"/> changes the caller may see starts (only <c>query.TenantId</c>'s
    /// when set, as <see cref="Authorize"/> decides): the position of the one before them among those, or 0 when there
    /// are no more. A caller limited to a tenant counts its own changes only, so that nothing other tenants do moves
    /// where it starts, or what it is shown.
    /// </summary>
    public Task<long> TailStartAsync(ChangeQuery query, int count, CancellationToken cancellationToken = default)
    {
        query = Authorize(query);
        return store.ReadAsync((session, ct) => session.FindTailStartAsync(query.TenantId, count, ct), cancellationToken);
    }

    /// <summary>
    /// Where the changes the caller may see (only <c>query.TenantId</c>'s when set, as <see cref="Authorize"/> decides)
    /// were pruned up to, and the position of the last committed change of any tenant, read in one statement
    /// (<see cref="IIpamSession.FindChangeLogBoundsAsync"/>). A tenant's is the last of its own changes pruned, which
    /// says nothing of other tenants' changes.
    /// </summary>
    public Task<ChangeLogBounds> BoundsAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        query = Authorize(query);
        return store.ReadAsync((session, ct) => session.FindChangeLogBoundsAsync(query.TenantId, ct), cancellationToken);
    }
}
