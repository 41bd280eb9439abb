using System.Diagnostics.CodeAnalysis;

namespace Ipam.Addressing;

/// <summary>An inclusive range of addresses of one family, <c>First</c> ≤ <c>Last</c>.</summary>
public readonly record struct AddressRange
{
    public AddressRange(IpAddress first, IpAddress last)
    {
        if (first.Version != last.Version || first.Value > last.Value)
        {
            ThrowInvalid(first, last);
        }

        First = first;
        Last = last;
    }

    public IpAddress First { get; }

    public IpAddress Last { get; }

    public IpVersion Version => First.Version;

    /// <summary>The number of addresses. Overflows only for the whole IPv6 space, which no pool can be.</summary>
    public UInt128 Count => checked(Last.Value - First.Value + 1);

    public bool Contains(IpAddress address) =>
        address.Version == Version && address.Value >= First.Value && address.Value <= Last.Value;

    public bool Contains(AddressRange other) => Contains(other.First) && Contains(other.Last);

    public bool Overlaps(AddressRange other) =>
        other.Version == Version && other.First.Value <= Last.Value && First.Value <= other.Last.Value;

    /// <summary>The range as the shortest list of CIDRs that covers exactly its addresses, ascending.</summary>
    public IReadOnlyList<Cidr> ToCidrs()
    {
        var cidrs = new List<Cidr>();
        AppendCidrs(Version, First.Value, Last.Value, cidrs);
        return cidrs;
    }

    public override string ToString() => $"{First}-{Last}";

    /// <summary>
    /// Appends the CIDRs covering <paramref name="first"/>..<paramref name="last"/>: at each step the largest
    /// block aligned at the current start that still ends inside the range. The greedy choice is optimal
    /// because aligned blocks nest, so each block is a maximal one and the list has no mergeable neighbours.
    /// </summary>
    internal static void AppendCidrs(IpVersion version, UInt128 first, UInt128 last, List<Cidr> into)
    {
        var bits = IpFamily.Of(version).Bits;
        while (true)
        {
            var alignment = first == 0 ? bits : Math.Min(bits, (int)UInt128.TrailingZeroCount(first));
            var span = last - first;
            var fits = span == UInt128.MaxValue ? 128 : 127 - (int)UInt128.LeadingZeroCount(span + 1);
            var hostBits = Math.Min(alignment, fits);
            into.Add(new Cidr(new IpAddress(version, first), bits - hostBits));
            var blockLast = first + (hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1);
            if (blockLast >= last)
            {
                return;
            }

            first = blockLast + 1;
        }
    }

    // Out of line: the free-space index makes ranges on every allocation.
    [DoesNotReturn]
    private static void ThrowInvalid(IpAddress first, IpAddress last) => throw new ArgumentException(
        first.Version != last.Version ? "Both ends of a range must be of the same IP version." : $"Range start {first} is after its end {last}.",
        nameof(last));
}
