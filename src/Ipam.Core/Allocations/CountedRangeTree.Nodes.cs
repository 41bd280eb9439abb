using System.Runtime.InteropServices;

namespace Ipam.Allocations;

internal sealed partial class CountedRangeTree
{
    internal abstract class Node
    {
        public Branch? Parent { get; set; }

        public abstract UInt128 First { get; }
    }

    /// <summary>Ranges, ascending, linked to the leaves on either side.</summary>
    internal sealed class Leaf : Node
    {
        public List<(UInt128 First, UInt128 Last)> Ranges { get; } = [];

        public Leaf? Previous { get; set; }

        public Leaf? Next { get; set; }

        public override UInt128 First => Ranges[0].First;

        public UInt128 SumOfSizes()
        {
            UInt128 sum = 0;
            foreach (var (first, last) in Ranges)
            {
                sum += last - first + 1;
            }

            return sum;
        }
    }

    /// <summary>
    /// Children with their value counts and lowest values kept side by side,
    /// so a descent scans one contiguous array instead of visiting every child.
    /// </summary>
    internal sealed class Branch : Node
    {
        public List<Child> Children { get; } = [];

        public Span<Child> Entries => CollectionsMarshal.AsSpan(Children);

        public override UInt128 First => Children[0].First;

        public int IndexOf(Node child)
        {
            var entries = Entries;
            for (var i = 0; i < entries.Length; i++)
            {
                if (ReferenceEquals(entries[i].Node, child))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("A node is missing from its parent.");
        }

        public UInt128 SumOfCounts()
        {
            UInt128 sum = 0;
            foreach (var child in Children)
            {
                sum += child.Count;
            }

            return sum;
        }
    }

    internal struct Child(Node node, UInt128 count, UInt128 first) : IStartOf<Child>
    {
        public Node Node { get; } = node;

        /// <summary>How many values the child's ranges hold.</summary>
        public UInt128 Count { get; set; } = count;

        /// <summary>The lowest value in the child's ranges.</summary>
        public UInt128 First { get; set; } = first;

        public static UInt128 StartOf(in Child item) => item.First;
    }
}
