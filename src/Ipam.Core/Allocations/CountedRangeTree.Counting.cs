using System.Runtime.InteropServices;

namespace Ipam.Allocations;

internal sealed partial class CountedRangeTree
{
    /// <summary>
    /// How many values the ranges hold from <paramref name="first"/> to <paramref name="last"/> inclusive:
    /// two root-to-leaf descents that add up the counts of the children left of the path, so O(log n)
    /// whatever the size of the span.
    /// </summary>
    public UInt128 CountBetween(UInt128 first, UInt128 last)
    {
        if (first > last)
        {
            return 0;
        }

        var upToLast = CountAtOrBelow(last);
        return first == 0 ? upToLast : upToLast - CountAtOrBelow(first - 1);
    }

    /// <summary>How many values the ranges hold that are at most <paramref name="value"/>.</summary>
    private UInt128 CountAtOrBelow(UInt128 value)
    {
        if (IsEmpty || value < _firstLeaf.First)
        {
            return 0;
        }

        UInt128 below = 0;
        var node = _root;
        while (node is Branch branch)
        {
            // As in FindAtOrBefore: the first child starts at or before value, so the path never leaves the tree.
            var entries = branch.Entries;
            var chosen = 1 + SortedRanges.LastStartingAtOrBefore<Child, Child>(entries[1..], value);
            for (var c = 0; c < chosen; c++)
            {
                below += entries[c].Count;
            }

            node = entries[chosen].Node;
        }

        foreach (var (first, last) in CollectionsMarshal.AsSpan(((Leaf)node).Ranges))
        {
            if (first > value)
            {
                break;
            }

            below += (last < value ? last : value) - first + 1;
        }

        return below;
    }
}
