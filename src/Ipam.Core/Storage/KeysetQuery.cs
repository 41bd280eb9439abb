namespace Ipam.Storage;

/// <summary>
/// A page of a list in key order: the rows whose key sorts after <see cref="After"/> (the last key of the
/// previous page), at most <see cref="Limit"/> of them. Each aggregate's query adds its filters.
/// </summary>
public abstract record KeysetQuery<TKey>
    where TKey : struct
{
    /// <summary>Return rows whose key sorts after this one.</summary>
    public TKey? After { get; init; }

    public int Limit { get; init; } = 100;
}
