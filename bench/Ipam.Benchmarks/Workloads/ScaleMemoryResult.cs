namespace Ipam.Benchmarks.Workloads;

/// <summary>What one <see cref="ScaleMemoryChild"/> measured (memory in bytes, times in seconds).</summary>
internal sealed record ScaleMemoryResult(
    int CacheMb,
    int Touched,
    double StartSeconds,
    double FirstEmptySeconds,
    double FirstBigSeconds,
    int NeighbourAllocations,
    double SlowestNeighbourSeconds,
    double SecondBigSeconds,
    double TouchSeconds,
    long RssStart,
    long RssWarm,
    long RssBig,
    long RssTouched,
    long HeapStart,
    long HeapWarm,
    long HeapBig,
    long HeapTouched,
    long HeapCleared,
    int CachedIndexes,
    long CacheBytesBig,
    long CacheBytes,
    long BigFreeRanges,
    long TouchedFreeRanges)
{
    /// <summary>The big subnet's index on the managed heap, per free range.</summary>
    public double BytesPerFreeRange => (double)(HeapBig - HeapWarm) / BigFreeRanges;

    /// <summary>The managed heap the cached indexes held at the end.</summary>
    public long HeapHeld => HeapTouched - HeapCleared;
}
