using Ipam.Addressing;
using Ipam.SubnetPools;

namespace Ipam.Core.Tests.SubnetPools;

public sealed class SubnetPoolRulesTests
{
    [Theory]
    [InlineData(IpVersion.V4, null, null, null, 8, 32, 8)]
    [InlineData(IpVersion.V6, null, null, null, 64, 128, 64)]
    [InlineData(IpVersion.V4, 21, null, null, 21, 32, 21)]
    [InlineData(IpVersion.V4, null, 28, 24, 8, 28, 24)]
    [InlineData(IpVersion.V6, 48, 64, null, 48, 64, 48)]
    [InlineData(IpVersion.V4, 0, 0, 0, 0, 0, 0)]
    public void PrefixLengths_Omitted_DerivedLikeNeutron(IpVersion version, int? min, int? max, int? @default, int eMin, int eMax, int eDefault)
    {
        var errors = new Dictionary<string, List<string>>();

        var lengths = SubnetPoolRules.PrefixLengths(version, min, max, @default, errors);

        Assert.Empty(errors);
        Assert.Equal((eMin, eMax, eDefault), lengths);
    }

    [Theory]
    [InlineData(IpVersion.V4, 24, 20, null, "min_prefixlen")]
    [InlineData(IpVersion.V4, 21, null, 20, "default_prefixlen")]
    [InlineData(IpVersion.V4, null, 28, 30, "default_prefixlen")]
    [InlineData(IpVersion.V4, -1, null, null, "min_prefixlen")]
    [InlineData(IpVersion.V4, null, 33, null, "max_prefixlen")]
    [InlineData(IpVersion.V6, null, 129, null, "max_prefixlen")]
    [InlineData(IpVersion.V6, null, 48, null, "max_prefixlen")]
    [InlineData(IpVersion.V4, null, 6, null, "max_prefixlen")]
    [InlineData(IpVersion.V6, 64, 48, null, "min_prefixlen")]
    [InlineData(IpVersion.V4, null, null, 4, "default_prefixlen")]
    public void PrefixLengths_OutOfBounds_ReportsTheField(IpVersion version, int? min, int? max, int? @default, string field)
    {
        var errors = new Dictionary<string, List<string>>();

        SubnetPoolRules.PrefixLengths(version, min, max, @default, errors);

        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void PrefixLengths_MaxBelowTheDefaultMin_NamesMaxAndSaysTheMinIsADefault()
    {
        var errors = new Dictionary<string, List<string>>();

        SubnetPoolRules.PrefixLengths(IpVersion.V6, null, 56, null, errors);

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "max_prefixlen").Value);
        Assert.Single(errors);
        Assert.Equal(
            "Illegal prefix bounds: max_prefixlen 56 is less than the default min_prefixlen 64 for IPv6; " +
            "give a max_prefixlen of at least 64, or set min_prefixlen too (at most 56).", message);
    }

    [Fact]
    public void PrefixLengths_SeveralOutsideFamily_ReportsEach()
    {
        var errors = new Dictionary<string, List<string>>();

        SubnetPoolRules.PrefixLengths(IpVersion.V4, -2, 40, 99, errors);

        Assert.Equal(["default_prefixlen", "max_prefixlen", "min_prefixlen"], errors.Keys.Order());
    }

    [Fact]
    public void MergedPrefixes_OverlappingAndAdjacent_AreCompacted()
    {
        var errors = new Dictionary<string, List<string>>();
        Cidr[] prefixes = [Cidr.Parse("10.0.1.0/24"), Cidr.Parse("10.0.0.0/24"), Cidr.Parse("10.0.0.128/25"), Cidr.Parse("10.0.3.0/24"), Cidr.Parse("192.168.1.0/24")];

        var merged = SubnetPoolRules.MergedPrefixes(prefixes, "prefixes", errors);

        Assert.Empty(errors);
        Assert.Equal(IpVersion.V4, merged!.Value.Version);
        Assert.Equal(["10.0.0.0/23", "10.0.3.0/24", "192.168.1.0/24"], merged.Value.Merged.Select(c => c.ToString()));
    }

    [Fact]
    public void MergedPrefixes_MixedFamilies_IsAnError()
    {
        var errors = new Dictionary<string, List<string>>();

        var merged = SubnetPoolRules.MergedPrefixes([Cidr.Parse("10.0.0.0/8"), Cidr.Parse("2001:db8::/32")], "prefixes", errors);

        Assert.Null(merged);
        Assert.Contains("prefixes", errors.Keys);
    }

    [Fact]
    public void MergedPrefixes_Empty_IsAnError()
    {
        var errors = new Dictionary<string, List<string>>();

        Assert.Null(SubnetPoolRules.MergedPrefixes([], "prefixes", errors));
        Assert.Contains("prefixes", errors.Keys);
    }

    [Fact]
    public void MergedPrefixes_WholeIpv6Space_IsAnErrorNotAnOverflow()
    {
        var errors = new Dictionary<string, List<string>>();

        Assert.Null(SubnetPoolRules.MergedPrefixes([Cidr.Parse("::/1"), Cidr.Parse("8000::/1")], "prefixes", errors));
        Assert.Null(SubnetPoolRules.MergedPrefixes([Cidr.Parse("::/0")], "prefixes", errors));
        Assert.Contains("prefixes", errors.Keys);
    }

    [Theory]
    [InlineData(IpVersion.V4, 32, 1)]
    [InlineData(IpVersion.V4, 24, 256)]
    [InlineData(IpVersion.V4, 0, 4294967296)]
    [InlineData(IpVersion.V6, 64, 1)]
    [InlineData(IpVersion.V6, 63, 2)]
    [InlineData(IpVersion.V6, 48, 65536)]
    [InlineData(IpVersion.V6, 96, 1)]
    [InlineData(IpVersion.V6, 128, 1)]
    public void QuotaUnits_CountsAddressesOrSlash64s(IpVersion version, int prefixLength, long expected) =>
        Assert.Equal((UInt128)expected, SubnetPoolRules.QuotaUnits(version, prefixLength));

    [Fact]
    public void QuotaUnits_Ipv6Slash0_IsTwoToThe64() =>
        Assert.Equal(UInt128.One << 64, SubnetPoolRules.QuotaUnits(IpVersion.V6, 0));
}
