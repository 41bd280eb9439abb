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
/// <param name="budget">
/// With a size: the bytes the values may hold in all. Past it, the least recently used values are dropped (down
/// to nine tenths of it) and rebuilt from the database when next needed. Without one, nothing is dropped for size.
/// </param>
internal sealed class RevisionCache<TKey, TValue>(CacheBudget<TValue>? budget = null)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly Lock _evicting = new();
    private long _clock;
    private long _bytes;

    public int Count => _entries.Count;

    /// <summary>The bytes the cached values hold as last measured (zero without a budget).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The value built for exactly <paramref name="revision"/>, if that is what is cached.</summary>
    public bool TryGet(TKey key, long revision, [NotNullWhen(true)] out TValue? value)
    {
        value = _entries.TryGetValue(key, out var entry) && entry.Revision == revision ? entry.Value : null;
        if (value is not null)
        {
            Touch(entry!);
        }

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
        Put(key, revision, fresh);
        return fresh;
    }

    /// <summary>Caches <paramref name="value"/> for <paramref name="revision"/> in place of whatever was there.</summary>
    public void Put(TKey key, long revision, TValue value)
    {
        var entry = new Entry(revision, value);

        // Whoever replaces an entry forgets its bytes, once, even when two builds of one key race.
        while (true)
        {
            if (_entries.TryGetValue(key, out var replaced))
            {
                if (_entries.TryUpdate(key, entry, replaced))
                {
                    Forget(replaced);
                    break;
                }
            }
            else if (_entries.TryAdd(key, entry))
            {
                break;
            }
        }

        Touch(entry);
    }

    /// <summary>
    /// Moves the value cached for <paramref name="from"/> to <paramref name="to"/>, the revision of the row after a change
    /// its holder applied to the value in place; a value cached for another revision is dropped, unless it is already for
    /// <paramref name="to"/>.
    /// </summary>
    public void Advance(TKey key, long from, long to)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.Revision == to)
        {
            return;
        }

        if (entry.Revision != from)
        {
            Invalidate(key, entry.Value);
            return;
        }

        var advanced = new Entry(to, entry.Value);
        if (_entries.TryUpdate(key, advanced, entry))
        {
            Forget(entry);
            Touch(advanced);
        }
    }

    public void Invalidate(TKey key)
    {
        if (_entries.TryRemove(key, out var removed))
        {
            Forget(removed);
        }
    }

    public void InvalidateAll()
    {
        foreach (var key in _entries.Keys)
        {
            Invalidate(key);
        }
    }

    /// <summary>Drops <paramref name="value"/> if it is still the cached one; a value built since stays.</summary>
    public void Invalidate(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && ReferenceEquals(entry.Value, value))
        {
            // Compared by reference (Entry is a class): removes this entry only, not one that replaced it meanwhile.
            if (_entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)))
            {
                Forget(entry);
            }
        }
    }

    /// <summary>Marks the entry used now and, with a budget, measures it again: values grow and shrink in place.</summary>
    private void Touch(Entry entry)
    {
        entry.LastUsed = Interlocked.Increment(ref _clock);
        if (budget is null)
        {
            return;
        }

        var size = budget.Size(entry.Value);
        var grown = size - Interlocked.Exchange(ref entry.Bytes, size);
        var total = Interlocked.Add(ref _bytes, grown);
        if (entry.Removed)
        {
            // Dropped by another thread while this one measured it: take back what was just added.
            Forget(entry);
        }
        else if (total > budget.Bytes)
        {
            Evict(entry);
        }
    }

    /// <summary>Takes a dropped entry's bytes off the total; safe to call twice and beside <see cref="Touch"/>.</summary>
    private void Forget(Entry? entry)
    {
        if (entry is not null)
        {
            entry.Removed = true;
        }

        if (budget is not null && entry is not null)
        {
            Interlocked.Add(ref _bytes, -Interlocked.Exchange(ref entry.Bytes, 0));
        }
    }

    /// <summary>Drops the least recently used entries until the rest fit in nine tenths of the budget; never <paramref name="keep"/>.</summary>
    private void Evict(Entry keep)
    {
        lock (_evicting)
        {
            var target = budget!.Bytes / 10 * 9;
            if (Bytes <= budget.Bytes)
            {
                return;
            }

            foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUsed))
            {
                if (Bytes <= target)
                {
                    return;
                }

                if (!ReferenceEquals(entry, keep) && _entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry)))
                {
                    Forget(entry);
                }
            }
        }
    }

    private sealed class Entry(long revision, TValue value)
    {
        public long Bytes;

        public volatile bool Removed;

        public long Revision { get; } = revision;

        public TValue Value { get; } = value;

        public long LastUsed { get; set; }
    }
}
