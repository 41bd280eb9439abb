using System.Runtime.InteropServices;

namespace Ipam.Allocations;

/// <summary>
/// Sorted disjoint ranges of values in a B+ tree whose branches keep each child's value count and lowest
/// value, so that finding the range holding the k-th value, or the last range starting at or before a
/// value, descends one root-to-leaf path: O(log n) in the number of ranges, whatever their sizes.
/// </summary>
/// <remarks>
/// Leaves hold up to 128 ranges by default. Neighbouring leaves that together fit in half a
/// leaf are merged, so memory follows the number of ranges. Branches are dropped when empty but not merged:
/// the height follows the largest size the tree has reached, which is still logarithmic.
/// A <see cref="RangePosition"/> stays valid across <see cref="Set"/> and becomes stale after any insert or
/// remove. Not thread-safe.
/// </remarks>
internal sealed partial class CountedRangeTree
{
    private readonly int _maxLeafRanges;
    private readonly int _maxChildren;
    private Node _root;
    private Leaf _firstLeaf;

    /// <param name="maxLeafRanges">Ranges per leaf; tests pass small sizes to grow tall trees from few ranges.</param>
    /// <param name="maxChildren">Children per branch.</param>
    public CountedRangeTree(int maxLeafRanges = 128, int maxChildren = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLeafRanges, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChildren, 4);
        _maxLeafRanges = maxLeafRanges;
        _maxChildren = maxChildren;
        _firstLeaf = new Leaf();
        _root = _firstLeaf;
    }

    /// <summary>How many values the ranges hold.</summary>
    public UInt128 Count { get; private set; }

    /// <summary>How many leaves hold the ranges; with the leaf size, what the tree's memory follows.</summary>
    public int LeafCount { get; private set; } = 1;

    /// <summary>
    /// An upper bound of the bytes the tree holds (a range is two 16-byte values, plus object headers): a lone
    /// leaf as its list is, else every leaf's list at its largest and a sixty-fourth more for the branches. Two
    /// neighbouring leaves hold more than half a leaf between them, so the bound is at most about four times the truth.
    /// </summary>
    public long ApproximateBytes => LeafCount == 1
        ? (_firstLeaf.Ranges.Capacity * 32L) + 96
        : LeafCount * (((_maxLeafRanges + 1) * 32L) + 96) * 65 / 64;

    public bool IsEmpty => _firstLeaf.Ranges.Count == 0;

    public (UInt128 First, UInt128 Last) this[RangePosition position] => position.Leaf.Ranges[position.Index];

    /// <summary>The lowest range, or null when there is none.</summary>
    public RangePosition? Lowest => IsEmpty ? null : new RangePosition(_firstLeaf, 0);

    public IEnumerable<(UInt128 First, UInt128 Last)> Ranges()
    {
        for (Leaf? leaf = _firstLeaf; leaf is not null; leaf = leaf.Next)
        {
            foreach (var range in leaf.Ranges)
            {
                yield return range;
            }
        }
    }

    /// <summary>The range holding the value at ascending position <paramref name="rank"/>, and that value's offset in it.</summary>
    public RangePosition FindByRank(UInt128 rank, out UInt128 offset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, Count);
        var node = _root;
        while (node is Branch branch)
        {
            var entries = branch.Entries;
            var c = 0;
            while (rank >= entries[c].Count)
            {
                rank -= entries[c].Count;
                c++;
            }

            node = entries[c].Node;
        }

        var ranges = CollectionsMarshal.AsSpan(((Leaf)node).Ranges);
        var r = 0;
        while (rank > ranges[r].Last - ranges[r].First)
        {
            rank -= ranges[r].Last - ranges[r].First + 1;
            r++;
        }

        offset = rank;
        return new RangePosition((Leaf)node, r);
    }

    /// <summary>The last range whose first value is at most <paramref name="value"/>, or null when there is none.</summary>
    public RangePosition? FindAtOrBefore(UInt128 value)
    {
        if (IsEmpty || value < _firstLeaf.First)
        {
            return null;
        }

        var node = _root;
        while (node is Branch branch)
        {
            // The first child starts at or before value (at the root by the check above, lower down because the
            // descent chose it), so only the others are searched, and it is the answer when none of them fits.
            var entries = branch.Entries;
            node = entries[1 + SortedRanges.LastStartingAtOrBefore<Child, Child>(entries[1..], value)].Node;
        }

        var leaf = (Leaf)node;
        return new RangePosition(leaf, SortedRanges.LastStartingAtOrBefore(CollectionsMarshal.AsSpan(leaf.Ranges), value));
    }

    /// <summary>The range after <paramref name="position"/>, or null when it is the highest.</summary>
    public static RangePosition? After(RangePosition position)
    {
        if (position.Index + 1 < position.Leaf.Ranges.Count)
        {
            return position with { Index = position.Index + 1 };
        }

        return position.Leaf.Next is { } next ? new RangePosition(next, 0) : null;
    }

    /// <summary>Replaces the range at <paramref name="position"/>; the caller keeps the ranges sorted and disjoint.</summary>
    public void Set(RangePosition position, UInt128 first, UInt128 last)
    {
        var (oldFirst, oldLast) = position.Leaf.Ranges[position.Index];
        position.Leaf.Ranges[position.Index] = (first, last);
        var (gained, lost) = (last - first + 1, oldLast - oldFirst + 1);
        Count = Count + gained - lost;
        UpdateAncestors(position.Leaf, gained, lost);
    }

    /// <summary>Inserts a range right after <paramref name="position"/>, or first when it is null.</summary>
    public void InsertAfter(RangePosition? position, UInt128 first, UInt128 last)
    {
        var (leaf, index) = position is { } p ? (p.Leaf, p.Index + 1) : (_firstLeaf, 0);
        leaf.Ranges.Insert(index, (first, last));
        var size = last - first + 1;
        Count += size;
        UpdateAncestors(leaf, size, 0);
        if (leaf.Ranges.Count > _maxLeafRanges)
        {
            SplitLeaf(leaf);
        }
    }

    /// <summary>Appends a range above every other one, filling leaves only half way so that later inserts have room.</summary>
    public void Append(UInt128 first, UInt128 last)
    {
        var node = _root;
        while (node is Branch branch)
        {
            node = branch.Children[^1].Node;
        }

        var leaf = (Leaf)node;
        if (leaf.Ranges.Count < _maxLeafRanges / 2)
        {
            InsertAfter(leaf.Ranges.Count == 0 ? null : new RangePosition(leaf, leaf.Ranges.Count - 1), first, last);
            return;
        }

        var size = last - first + 1;
        var next = new Leaf { Previous = leaf };
        LeafCount++;
        next.Ranges.Add((first, last));
        leaf.Next = next;
        Count += size;
        UpdateAncestors(leaf, size, 0);
        InsertSibling(leaf, next, size);
    }

    public void RemoveAt(RangePosition position)
    {
        Leaf? leaf = position.Leaf;
        var (first, last) = leaf.Ranges[position.Index];
        leaf.Ranges.RemoveAt(position.Index);
        Count -= last - first + 1;
        UpdateAncestors(leaf, 0, last - first + 1);
        if (leaf.Ranges.Count == 0)
        {
            var neighbour = leaf.Previous ?? leaf.Next;
            RemoveLeaf(leaf);
            leaf = neighbour;
        }

        if (leaf is not null)
        {
            MergeWithNeighbours(leaf);
        }
    }

    /// <summary>Applies a change in <paramref name="node"/>'s value count to every ancestor, refreshing lowest values on the way.</summary>
    private static void UpdateAncestors(Node node, UInt128 gained, UInt128 lost)
    {
        for (var parent = node.Parent; parent is not null; node = parent, parent = parent.Parent)
        {
            ref var entry = ref parent.Entries[parent.IndexOf(node)];
            entry.Count = entry.Count + gained - lost;
            if (node is Branch || ((Leaf)node).Ranges.Count > 0)
            {
                entry.First = node.First;
            }
        }
    }

    private void SplitLeaf(Leaf leaf)
    {
        var half = leaf.Ranges.Count / 2;
        var tail = new Leaf { Previous = leaf, Next = leaf.Next };
        LeafCount++;
        tail.Ranges.AddRange(CollectionsMarshal.AsSpan(leaf.Ranges)[half..]);
        leaf.Ranges.RemoveRange(half, leaf.Ranges.Count - half);
        leaf.Ranges.Capacity = Math.Min(leaf.Ranges.Capacity, _maxLeafRanges + 1);
        tail.Next?.Previous = tail;
        leaf.Next = tail;
        InsertSibling(leaf, tail, tail.SumOfSizes());
    }

    private void SplitBranch(Branch branch)
    {
        var half = branch.Children.Count / 2;
        var tail = new Branch();
        tail.Children.AddRange(branch.Entries[half..]);
        branch.Children.RemoveRange(half, branch.Children.Count - half);
        foreach (var child in tail.Children)
        {
            child.Node.Parent = tail;
        }

        InsertSibling(branch, tail, tail.SumOfCounts());
    }

    /// <summary>
    /// Hangs <paramref name="sibling"/> right after <paramref name="node"/>; its values are still counted
    /// in <paramref name="node"/>'s entry, where they move out of.
    /// </summary>
    private void InsertSibling(Node node, Node sibling, UInt128 siblingCount)
    {
        if (node.Parent is not { } parent)
        {
            var root = new Branch();
            root.Children.Add(new Child(node, Count - siblingCount, node.First));
            root.Children.Add(new Child(sibling, siblingCount, sibling.First));
            node.Parent = root;
            sibling.Parent = root;
            _root = root;
            return;
        }

        var index = parent.IndexOf(node);
        parent.Entries[index].Count -= siblingCount;
        parent.Children.Insert(index + 1, new Child(sibling, siblingCount, sibling.First));
        sibling.Parent = parent;
        if (parent.Children.Count > _maxChildren)
        {
            SplitBranch(parent);
        }
    }
}
