using Ipam.Addressing;

namespace Ipam.Storage;

/// <summary>A page of address scopes ordered by id, optionally filtered.</summary>
public sealed record AddressScopeQuery : KeysetQuery<Guid>
{
    public IpVersion? IpVersion { get; init; }
}
