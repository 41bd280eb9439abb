using Ipam.Addressing;
using Ipam.Subnets;

namespace Ipam.Core.Tests.Subnets;

public sealed class SubnetEqualityTests
{
    private static readonly Subnet Stored = new()
    {
        Id = Guid.Parse("0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"),
        Cidr = Cidr.Parse("10.0.0.0/24"),
        Gateway = IpAddress.Parse("10.0.0.1"),
        AllocationPools = [Range("10.0.0.2", "10.0.0.99"), Range("10.0.0.200", "10.0.0.254")],
        Name = "lan",
        TenantId = "t1",
        SubnetPoolId = Guid.Parse("1a2b3c4d-0000-4000-8000-000000000001"),
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Revision = 4,
    };

    [Fact]
    public void Equals_OneWithItsPoolSetComputed_IsStillEqual()
    {
        var asStored = Copy(Stored);
        var loaded = Copy(Stored);
        _ = loaded.PoolSet.Count;

        Assert.Equal(asStored, loaded);
        Assert.True(asStored == loaded);
        Assert.Equal(asStored.GetHashCode(), loaded.GetHashCode());
    }

    [Fact]
    public void Equals_SamePoolsInAnotherList_IsEqual() =>
        Assert.Equal(Stored, Stored with { AllocationPools = [.. Stored.AllocationPools] });

    public static TheoryData<string, Subnet> OneStoredFieldChanged => new()
    {
        { nameof(Subnet.Id), Stored with { Id = Guid.NewGuid() } },
        { nameof(Subnet.Cidr), Stored with { Cidr = Cidr.Parse("10.0.1.0/24") } },
        { nameof(Subnet.Gateway), Stored with { Gateway = null } },
        { nameof(Subnet.AllocationPools), Stored with { AllocationPools = [Range("10.0.0.2", "10.0.0.99")] } },
        { nameof(Subnet.Ipv6AddressMode), Stored with { Ipv6AddressMode = Ipv6AddressMode.Dhcpv6Stateful } },
        { nameof(Subnet.Name), Stored with { Name = "wan" } },
        { nameof(Subnet.TenantId), Stored with { TenantId = null } },
        { nameof(Subnet.SubnetPoolId), Stored with { SubnetPoolId = null } },
        { nameof(Subnet.CreatedAt), Stored with { CreatedAt = Stored.CreatedAt.AddTicks(1) } },
        { nameof(Subnet.Revision), Stored with { Revision = 5 } },
        { nameof(Subnet.ReuseCooldownSeconds), Stored with { ReuseCooldownSeconds = 60 } },
    };

    [Theory]
    [MemberData(nameof(OneStoredFieldChanged))]
    public void Equals_OneStoredFieldDiffers_IsNotEqual(string field, Subnet changed)
    {
        _ = Stored.PoolSet.Count;
        _ = changed.PoolSet.Count;

        Assert.True(Stored != changed, field);
        Assert.False(Stored.Equals(changed), field);
    }

    /// <summary>A new stored property must join <see cref="Subnet.Equals(Subnet?)"/> and the table above.</summary>
    [Fact]
    public void OneStoredFieldChanged_CoversEveryStoredProperty()
    {
        var stored = typeof(Subnet).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order();

        Assert.Equal(stored, OneStoredFieldChanged.Select(row => row.Data.Item1).Order());
    }

    private static AddressRange Range(string first, string last) => new(IpAddress.Parse(first), IpAddress.Parse(last));

    private static Subnet Copy(Subnet s) => new()
    {
        Id = s.Id,
        Cidr = s.Cidr,
        Gateway = s.Gateway,
        AllocationPools = s.AllocationPools,
        Ipv6AddressMode = s.Ipv6AddressMode,
        Name = s.Name,
        TenantId = s.TenantId,
        SubnetPoolId = s.SubnetPoolId,
        CreatedAt = s.CreatedAt,
        Revision = s.Revision,
        ReuseCooldownSeconds = s.ReuseCooldownSeconds,
    };
}
