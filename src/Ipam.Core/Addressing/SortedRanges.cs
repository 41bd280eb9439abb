namespace Ipam.Addressing;

/// <summary>Binary search over items sorted by where they start, such as sorted, disjoint ranges.</summary>
internal static class SortedRanges
{
    /// <summary>
    /// The index of the last of <paramref name="ranges"/> (sorted, disjoint) whose first value is at or
    /// before <paramref name="value"/>, or -1 when every range starts after it.
    /// </summary>
    public static int LastStartingAtOrBefore(ReadOnlySpan<(UInt128 First, UInt128 Last)> ranges, UInt128 value) =>
        LastStartingAtOrBefore<(UInt128 First, UInt128 Last), RangeStart>(ranges, value);

    /// <summary>
    /// The index of the last of <paramref name="items"/> (sorted by start) that starts at or before
    /// <paramref name="value"/>, or -1 when every item starts after it.
    /// </summary>
    public static int LastStartingAtOrBefore<T, TStart>(ReadOnlySpan<T> items, UInt128 value)
        where TStart : IStartOf<T>
    {
        int lo = 0, hi = items.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (TStart.StartOf(items[mid]) <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private readonly struct RangeStart : IStartOf<(UInt128 First, UInt128 Last)>
    {
        public static UInt128 StartOf(in (UInt128 First, UInt128 Last) item) => item.First;
    }
}
