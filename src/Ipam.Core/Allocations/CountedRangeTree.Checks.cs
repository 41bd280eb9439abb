namespace Ipam.Allocations;

internal sealed partial class CountedRangeTree
{
    /// <summary>
    /// Walks the whole tree and throws when a cached count or lowest value, a parent or leaf link, the order
    /// of ranges, a node size or leaf occupancy is wrong; for tests. Returns the number of leaves and the height.
    /// </summary>
    internal (int Leaves, int Height) CheckStructure()
    {
        var leaves = new List<Leaf>();
        var (count, height) = Check(_root, leaves);
        Require(count == Count, $"the tree counts {Count} values but its ranges hold {count}");
        Require(ReferenceEquals(_firstLeaf, leaves[0]), "the first leaf link is wrong");
        Require(leaves.Count == LeafCount, $"the tree counts {LeafCount} leaves but has {leaves.Count}");
        Require(leaves.Count == 1 || leaves.TrueForAll(leaf => leaf.Ranges.Count > 0), "an empty leaf is still in the tree");
        for (var i = 0; i < leaves.Count; i++)
        {
            Require(ReferenceEquals(leaves[i].Previous, i == 0 ? null : leaves[i - 1]), $"leaf {i} links back to the wrong leaf");
            Require(ReferenceEquals(leaves[i].Next, i == leaves.Count - 1 ? null : leaves[i + 1]), $"leaf {i} links on to the wrong leaf");
            if (i > 0)
            {
                Require(leaves[i - 1].Ranges.Count + leaves[i].Ranges.Count > _maxLeafRanges / 2, $"leaves {i - 1} and {i} should have been merged");
                Require(leaves[i - 1].Ranges[^1].Last < leaves[i].Ranges[0].First, $"leaves {i - 1} and {i} overlap or are out of order");
            }
        }

        return (leaves.Count, height);
    }

    private (UInt128 Count, int Height) Check(Node node, List<Leaf> leaves)
    {
        if (node is Leaf leaf)
        {
            Require(leaf.Ranges.Count <= _maxLeafRanges, "a leaf holds too many ranges");
            for (var i = 1; i < leaf.Ranges.Count; i++)
            {
                Require(leaf.Ranges[i - 1].Last < leaf.Ranges[i].First, "ranges in a leaf overlap or are out of order");
            }

            Require(leaf.Ranges.TrueForAll(r => r.First <= r.Last), "a range ends before it starts");
            leaves.Add(leaf);
            return (leaf.SumOfSizes(), 0);
        }

        var branch = (Branch)node;
        Require(branch.Children.Count > 0 && branch.Children.Count <= _maxChildren, $"a branch has {branch.Children.Count} children");
        UInt128 total = 0;
        var height = -1;
        foreach (var child in branch.Children)
        {
            Require(ReferenceEquals(child.Node.Parent, branch), "a child links to the wrong parent");
            var (count, childHeight) = Check(child.Node, leaves);
            Require(child.Count == count, $"a branch caches {child.Count} values for a child holding {count}");
            Require(child.First == child.Node.First, "a branch caches the wrong lowest value for a child");
            Require(height < 0 || height == childHeight, "leaves sit at different depths");
            height = childHeight;
            total += count;
        }

        return (total, height + 1);
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Counted range tree is broken: {problem}.");
        }
    }
}
