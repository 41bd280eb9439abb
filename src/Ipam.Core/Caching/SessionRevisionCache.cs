namespace Ipam.Caching;

/// <summary>
/// Values derived from one revision of a stored row, one per row id, built from the database in the session
/// of the unit of work that first needs them. The subclass supplies the build and the changes it applies in
/// place; this class keeps the revision bookkeeping of <see cref="RevisionCache{TKey, TValue}"/>.
/// </summary>
internal abstract class SessionRevisionCache<TSource, TValue>(
    Func<(IIpamSession Session, TSource Source), CancellationToken, ValueTask<TValue>> build, CacheBudget<TValue>? budget = null)
    where TSource : IRevisioned
    where TValue : class
{
    public int Count => Entries.Count;

    protected RevisionCache<Guid, TValue> Entries { get; } = new(budget);

    /// <summary>The bytes the cached values hold as last measured (zero without a budget).</summary>
    public long Bytes => Entries.Bytes;

    /// <summary>The value for <paramref name="source"/>'s revision: the cached one, or one built now.</summary>
    public ValueTask<TValue> GetAsync(IIpamSession session, TSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Entries.GetOrBuildAsync(source.Id, RevisionOf(source), (session, source), build, cancellationToken);
    }

    /// <summary>Builds the value for <paramref name="source"/>'s revision afresh, in place of a cached one.</summary>
    public ValueTask<TValue> ReloadAsync(IIpamSession session, TSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Entries.BuildAsync(source.Id, RevisionOf(source), (session, source), build, cancellationToken);
    }

    /// <summary>What a value is built for: the row's revision, unless the value also depends on other rows.</summary>
    protected virtual long RevisionOf(TSource source) => source.Revision;

    public void Invalidate(Guid id) => Entries.Invalidate(id);

    public void InvalidateAll() => Entries.InvalidateAll();
}
