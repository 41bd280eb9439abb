namespace Ipam.Allocations;

/// <summary>Where a range sits in a <see cref="CountedRangeTree"/>.</summary>
internal readonly record struct RangePosition(CountedRangeTree.Leaf Leaf, int Index);
