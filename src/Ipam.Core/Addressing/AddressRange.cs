namespace Ipam.Addressing;

/// <summary>An inclusive range of addresses of one family, <c>First</c> ≤ <c>Last</c>.</summary>
public readonly record struct AddressRange
{
    public AddressRange(IpAddress first, IpAddress last)
    {
        if (first.Version != last.Version)
        {
            throw new ArgumentException("Both ends of a range must be of the same IP version.", nameof(last));
        }

        if (first.Value > last.Value)
        {
            throw new ArgumentException($"Range start {first} is after its end {last}.", nameof(last));
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

    public bool Overlaps(AddressRange other) =>
        other.Version == Version && other.First.Value <= Last.Value && First.Value <= other.Last.Value;

    public override string ToString() => $"{First}-{Last}";
}
