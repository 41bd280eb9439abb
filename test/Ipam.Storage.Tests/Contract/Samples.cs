using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Scopes;
using Ipam.SubnetPools;
using Ipam.Subnets;

namespace Ipam.Storage.Tests.Contract;

/// <summary>Aggregates to store, with every optional field set unless a test says otherwise.</summary>
internal static class Samples
{
    /// <summary>A time both stores keep exactly (PostgreSQL keeps microseconds).</summary>
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddMicroseconds(123_456);

    public static Subnet Subnet(string cidr, Guid? poolId = null, string? tenant = "tenant-a")
    {
        var network = Cidr.Parse(cidr);
        var first = network.First.Add(2u);
        return new Subnet
        {
            Id = Guid.CreateVersion7(),
            Cidr = network,
            Gateway = network.First.Add(1u),
            AllocationPools = [new AddressRange(first, first.Add(3u)), new AddressRange(first.Add(10u), first.Add(20u))],
            Ipv6AddressMode = network.Version == IpVersion.V6 ? Ipv6AddressMode.Dhcpv6Stateful : null,
            Name = "subnet " + cidr,
            TenantId = tenant,
            SubnetPoolId = poolId,
            CreatedAt = Now,
            Revision = 3,
            ReuseCooldownSeconds = 30,
        };
    }

    public static Allocation Allocation(Subnet subnet, int offset, string? owner = "vm-1", DateTimeOffset? expires = null) => new()
    {
        SubnetId = subnet.Id,
        Address = subnet.Cidr.First.Add((uint)offset),
        Owner = owner,
        Description = owner is null ? null : "for " + owner,
        CreatedAt = Now,
        ExpiresAt = expires,
        CreatedBy = owner is null ? null : "token-" + owner,
    };

    public static SubnetPool Pool(string prefixes, Guid? scopeId = null, string? tenant = "tenant-a")
    {
        var cidrs = prefixes.Split(' ').Select(Cidr.Parse).ToList();
        return new SubnetPool
        {
            Id = Guid.CreateVersion7(),
            Name = "pool " + prefixes,
            Version = cidrs[0].Version,
            Prefixes = cidrs,
            DefaultPrefixLength = cidrs[0].Version == IpVersion.V4 ? 24 : 64,
            MinPrefixLength = cidrs[0].Version == IpVersion.V4 ? 16 : 48,
            MaxPrefixLength = cidrs[0].Version == IpVersion.V4 ? 28 : 120,
            DefaultQuota = 4096,
            AddressScopeId = scopeId,
            TenantId = tenant,
            CreatedAt = Now,
            Revision = 2,
        };
    }

    public static AddressScope Scope(IpVersion version = IpVersion.V4, string? tenant = "tenant-a") => new()
    {
        Id = Guid.CreateVersion7(),
        Name = "scope",
        Version = version,
        TenantId = tenant,
        CreatedAt = Now,
    };

    /// <summary>Ids in the order both stores sort them (uuid order, which is the order of their canonical text).</summary>
    public static List<Guid> InStoreOrder(IEnumerable<Guid> ids) => [.. ids.OrderBy(id => id.ToString("D"), StringComparer.Ordinal)];

    /// <summary>Asserts two subnets are equal, pools included (records compare lists by reference).</summary>
    public static void AssertSame(Subnet expected, Subnet? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { AllocationPools = Array.Empty<AddressRange>() }, actual with { AllocationPools = Array.Empty<AddressRange>() });
        Assert.Equal(expected.AllocationPools, actual.AllocationPools);
    }

    /// <summary>Asserts two pools are equal, prefixes included.</summary>
    public static void AssertSame(SubnetPool expected, SubnetPool? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Prefixes = Array.Empty<Cidr>() }, actual with { Prefixes = Array.Empty<Cidr>() });
        Assert.Equal(expected.Prefixes, actual.Prefixes);
    }
}
