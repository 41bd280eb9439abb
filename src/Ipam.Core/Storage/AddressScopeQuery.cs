using Ipam.Addressing;

namespace Ipam.Storage;

/// <summary>A page of address scopes ordered by id, optionally filtered.</summary>
public sealed record AddressScopeQuery
{
    public IpVersion? IpVersion { get; init; }

    /// <summary>Return scopes whose id sorts after this one.</summary>
    public Guid? After { get; init; }

    public int Limit { get; init; } = 100;
}
