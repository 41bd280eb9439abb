using Ipam.Addressing;
using Ipam.SubnetPools;

namespace Ipam.Core.Tests.SubnetPools;

public sealed class SubnetPoolEqualityTests
{
    private static readonly SubnetPool Stored = new()
    {
        Id = Guid.Parse("0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"),
        Name = "tenants",
        Version = IpVersion.V4,
        Prefixes = [Cidr.Parse("10.0.0.0/16"), Cidr.Parse("10.8.0.0/16")],
        DefaultPrefixLength = 24,
        MinPrefixLength = 20,
        MaxPrefixLength = 28,
        DefaultQuota = 1024,
        AddressScopeId = Guid.Parse("1a2b3c4d-0000-4000-8000-000000000001"),
        TenantId = "t1",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Revision = 3,
    };

    [Fact]
    public void Equals_OneWithItsPrefixSetComputed_IsStillEqual()
    {
        var asStored = Stored with { Prefixes = Stored.Prefixes };
        var loaded = Stored with { Prefixes = Stored.Prefixes };
        _ = loaded.PrefixSet.Count;

        Assert.Equal(asStored, loaded);
        Assert.True(asStored == loaded);
        Assert.Equal(asStored.GetHashCode(), loaded.GetHashCode());
    }

    [Fact]
    public void Equals_SamePrefixesInAnotherList_IsEqual() =>
        Assert.Equal(Stored, Stored with { Prefixes = [.. Stored.Prefixes] });

    public static TheoryData<string, SubnetPool> OneStoredFieldChanged => new()
    {
        { nameof(SubnetPool.Id), Stored with { Id = Guid.NewGuid() } },
        { nameof(SubnetPool.Name), Stored with { Name = "other" } },
        { nameof(SubnetPool.Version), Stored with { Version = IpVersion.V6 } },
        { nameof(SubnetPool.Prefixes), Stored with { Prefixes = [Cidr.Parse("10.0.0.0/16")] } },
        { nameof(SubnetPool.DefaultPrefixLength), Stored with { DefaultPrefixLength = 25 } },
        { nameof(SubnetPool.MinPrefixLength), Stored with { MinPrefixLength = 16 } },
        { nameof(SubnetPool.MaxPrefixLength), Stored with { MaxPrefixLength = 30 } },
        { nameof(SubnetPool.DefaultQuota), Stored with { DefaultQuota = null } },
        { nameof(SubnetPool.AddressScopeId), Stored with { AddressScopeId = null } },
        { nameof(SubnetPool.TenantId), Stored with { TenantId = "t2" } },
        { nameof(SubnetPool.CreatedAt), Stored with { CreatedAt = Stored.CreatedAt.AddTicks(1) } },
        { nameof(SubnetPool.Revision), Stored with { Revision = 4 } },
        { nameof(SubnetPool.SubnetsVersion), Stored with { SubnetsVersion = 1 } },
    };

    [Theory]
    [MemberData(nameof(OneStoredFieldChanged))]
    public void Equals_OneStoredFieldDiffers_IsNotEqual(string field, SubnetPool changed)
    {
        Assert.True(Stored != changed, field);
        Assert.False(Stored.Equals(changed), field);
    }

    /// <summary>A new stored property must join <see cref="SubnetPool.Equals(SubnetPool?)"/> and the table above.</summary>
    [Fact]
    public void OneStoredFieldChanged_CoversEveryStoredProperty()
    {
        var stored = typeof(SubnetPool).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order();

        Assert.Equal(stored, OneStoredFieldChanged.Select(row => row.Data.Item1).Order());
    }
}
