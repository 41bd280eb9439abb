using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Ipam.Caching;

/// <summary>
/// Values derived from one revision of a stored row (a subnet's free addresses, a pool's free prefixes),
/// one per key. A value is used only for the revision it was built for: a reader that sees a newer (or
/// older) revision in the database builds afresh and replaces it. Thread-safe; the values themselves are
/// not made so, their users lock them.
/// </summary>
/// <remarks>
/// The database stays the authority. An entry is dropped, never repaired, when a unit of work that changed it
/// rolls back, so a value can only be stale in the direction its user re-checks against the database.
/// </remarks>
internal sealed class RevisionCache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The value built for exactly <paramref name="revision"/>, if that is what is cached.</summary>
    public bool TryGet(TKey key, long revision, [NotNullWhen(true)] out TValue? value)
    {
        value = _entries.TryGetValue(key, out var entry) && entry.Revision == revision ? entry.Value : null;
        return value is not null;
    }

    /// <summary>The cached value whatever its revision, for changes that hold in every revision.</summary>
    public bool TryGetAny(TKey key, [NotNullWhen(true)] out TValue? value)
    {
        value = _entries.TryGetValue(key, out var entry) ? entry.Value : null;
        return value is not null;
    }

    /// <summary>The value for <paramref name="revision"/>: the cached one, or one built and cached now.</summary>
    /// <remarks><paramref name="state"/> spares the hit path a closure.</remarks>
    public async ValueTask<TValue> GetOrBuildAsync<TState>(
        TKey key, long revision, TState state, Func<TState, CancellationToken, ValueTask<TValue>> build, CancellationToken cancellationToken)
    {
        if (TryGet(key, revision, out var cached))
        {
            return cached;
        }

        return await BuildAsync(key, revision, state, build, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the value for <paramref name="revision"/> and caches it in place of whatever was there.</summary>
    public async ValueTask<TValue> BuildAsync<TState>(
        TKey key, long revision, TState state, Func<TState, CancellationToken, ValueTask<TValue>> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var fresh = await build(state, cancellationToken).ConfigureAwait(false);
        _entries[key] = new Entry(revision, fresh);
        return fresh;
    }

    public void Invalidate(TKey key) => _entries.TryRemove(key, out _);

    /// <summary>Drops <paramref name="value"/> if it is still the cached one; a value built since stays.</summary>
    public void Invalidate(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && ReferenceEquals(entry.Value, value))
        {
            // Compared by reference (Entry is a class): removes this entry only, not one that replaced it meanwhile.
            _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
        }
    }

    private sealed class Entry(long revision, TValue value)
    {
        public long Revision { get; } = revision;

        public TValue Value { get; } = value;
    }
}
