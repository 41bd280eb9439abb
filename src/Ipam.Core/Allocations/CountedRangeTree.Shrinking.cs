using System.Runtime.InteropServices;

namespace Ipam.Allocations;

/// <summary>How the tree shrinks: empty leaves are unhooked and sparse ones merged into a neighbour.</summary>
internal sealed partial class CountedRangeTree
{
    /// <summary>Unhooks an empty leaf, and any branch left without children; the last leaf stays as the empty root.</summary>
    private void RemoveLeaf(Leaf leaf)
    {
        if (leaf.Previous is null && leaf.Next is null)
        {
            leaf.Parent = null;
            _root = leaf;
            return;
        }

        LeafCount--;

        if (leaf.Previous is { } previous)
        {
            previous.Next = leaf.Next;
        }
        else
        {
            _firstLeaf = leaf.Next!;
        }

        leaf.Next?.Previous = leaf.Previous;

        Node node = leaf;
        var parent = node.Parent!;
        parent.Children.RemoveAt(parent.IndexOf(node));
        while (parent.Children.Count == 0)
        {
            node = parent;
            parent = node.Parent!;
            parent.Children.RemoveAt(parent.IndexOf(node));
        }

        UpdateAncestors(parent, 0, 0);
        while (_root is Branch { Children.Count: 1 } single)
        {
            _root = single.Children[0].Node;
            _root.Parent = null;
        }
    }

    private void MergeWithNeighbours(Leaf leaf)
    {
        while (true)
        {
            if (leaf.Previous is { } previous && previous.Ranges.Count + leaf.Ranges.Count <= _maxLeafRanges / 2)
            {
                MoveInto(previous, leaf);
                leaf = previous;
            }
            else if (leaf.Next is { } next && leaf.Ranges.Count + next.Ranges.Count <= _maxLeafRanges / 2)
            {
                MoveInto(leaf, next);
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Moves every range of <paramref name="later"/> to the end of the leaf before it, and drops it.</summary>
    private void MoveInto(Leaf earlier, Leaf later)
    {
        var moved = later.SumOfSizes();
        earlier.Ranges.AddRange(CollectionsMarshal.AsSpan(later.Ranges));
        later.Ranges.Clear();
        UpdateAncestors(earlier, moved, 0);
        UpdateAncestors(later, 0, moved);
        RemoveLeaf(later);
    }
}
