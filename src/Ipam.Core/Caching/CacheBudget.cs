namespace Ipam.Caching;

/// <summary>How many bytes a <see cref="RevisionCache{TKey, TValue}"/> may hold, and how to measure one value.</summary>
internal sealed record CacheBudget<TValue>(long Bytes, Func<TValue, long> Size);
