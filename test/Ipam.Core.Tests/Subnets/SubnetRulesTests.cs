using CsCheck;
using Ipam.Addressing;
using Ipam.Errors;
using Ipam.Subnets;

namespace Ipam.Core.Tests.Subnets;

public sealed class SubnetRulesTests
{
    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.1")]
    [InlineData("10.0.0.0/30", "10.0.0.1")]
    [InlineData("10.0.0.0/31", null)]
    [InlineData("10.0.0.7/32", null)]
    [InlineData("2001:db8::/64", "2001:db8::1")]
    [InlineData("2001:db8::/126", "2001:db8::1")]
    [InlineData("2001:db8::/127", null)]
    [InlineData("2001:db8::1/128", null)]
    public void DefaultGateway_ByPrefix_IsFirstHostOrNone(string cidr, string? gateway)
    {
        Assert.Equal(gateway is null ? null : IpAddress.Parse(gateway), SubnetRules.DefaultGateway(Cidr.Parse(cidr)));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.1", "10.0.0.2-10.0.0.254")]
    [InlineData("10.0.0.0/24", null, "10.0.0.1-10.0.0.254")]
    [InlineData("10.0.0.0/24", "10.0.0.254", "10.0.0.1-10.0.0.253")]
    [InlineData("10.0.0.0/24", "10.0.0.128", "10.0.0.1-10.0.0.127", "10.0.0.129-10.0.0.254")]
    [InlineData("10.0.0.0/29", "10.0.0.4", "10.0.0.1-10.0.0.3", "10.0.0.5-10.0.0.6")]
    [InlineData("10.1.4.0/29", "10.9.9.9", "10.1.4.1-10.1.4.6")]
    [InlineData("10.0.0.0/30", "10.0.0.1", "10.0.0.2-10.0.0.2")]
    [InlineData("10.0.0.0/31", null, "10.0.0.0-10.0.0.1")]
    [InlineData("10.0.0.7/32", null, "10.0.0.7-10.0.0.7")]
    [InlineData("2001:db8::/64", "2001:db8::1", "2001:db8::2-2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/64", null, "2001:db8::1-2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/126", "2001:db8::1", "2001:db8::2-2001:db8::3")]
    [InlineData("2001:db8::/127", null, "2001:db8::-2001:db8::1")] // Neutron: ::1 only; point-to-point here (RFC 6164)
    [InlineData("2001:db8::1/128", null, "2001:db8::1-2001:db8::1")]
    [InlineData("::/64", null, "::1-::ffff:ffff:ffff:ffff")]
    public void DefaultPools_NeutronsCasesAndPointToPoint_MatchExpectedRanges(string cidr, string? gateway, params string[] expected)
    {
        var pools = SubnetRules.DefaultPools(Cidr.Parse(cidr), gateway is null ? null : IpAddress.Parse(gateway));

        Assert.Equal(expected, pools.Select(p => p.ToString()));
        Assert.All(pools, p => Assert.Equal(Cidr.Parse(cidr).Version, p.Version));
    }

    [Fact]
    public void DefaultPools_Ipv6AllZeroPrefix_StaysIpv6()
    {
        var pools = SubnetRules.DefaultPools(Cidr.Parse("::/64"), SubnetRules.DefaultGateway(Cidr.Parse("::/64")));

        var pool = Assert.Single(pools);
        Assert.Equal(IpVersion.V6, pool.Version);
        Assert.Equal("::2", pool.First.ToString());
        Assert.Equal("::ffff:ffff:ffff:ffff", pool.Last.ToString());
    }

    [Fact]
    public void DefaultPools_RandomIpv4PrefixAndGateway_MatchEnumeration()
    {
        var gen = Gen.Select(Gen.UInt, Gen.Int[20, 32], Gen.Int[0, 3], Gen.UInt);
        gen.Sample((seed, prefixLength, gatewayKind, gatewaySeed) =>
        {
            var cidr = Cidr.Containing(new IpAddress(IpVersion.V4, seed), prefixLength);
            var size = 1L << (32 - prefixLength);
            var network = (long)cidr.Network.Value;
            IpAddress? gateway = gatewayKind switch
            {
                0 => null,
                1 => SubnetRules.DefaultGateway(cidr),
                2 => new IpAddress(IpVersion.V4, (UInt128)(network + (gatewaySeed % size))),
                _ => new IpAddress(IpVersion.V4, gatewaySeed),
            };

            var expected = new List<(long First, long Last)>();
            for (var a = network; a < network + size; a++)
            {
                var reserved = prefixLength < 31 && (a == network || a == network + size - 1);
                var isGateway = gateway is { } g && (long)g.Value == a;
                if (reserved || isGateway)
                {
                    continue;
                }

                if (expected.Count > 0 && expected[^1].Last == a - 1)
                {
                    expected[^1] = (expected[^1].First, a);
                }
                else
                {
                    expected.Add((a, a));
                }
            }

            var actual = SubnetRules.DefaultPools(cidr, gateway).Select(p => ((long)p.First.Value, (long)p.Last.Value));
            Assert.Equal(expected, actual);
        }, iter: 300);
    }

    [Fact]
    public void DefaultPools_RandomSmallIpv6PrefixAndGateway_MatchEnumeration()
    {
        var gen = Gen.Select(Gen.UInt128, Gen.Int[116, 128], Gen.Bool, Gen.UInt);
        gen.Sample((seed, prefixLength, withGateway, gatewaySeed) =>
        {
            var cidr = Cidr.Containing(new IpAddress(IpVersion.V6, seed), prefixLength);
            var size = 1 << (128 - prefixLength);
            IpAddress? gateway = withGateway ? cidr.Network.Add((UInt128)(gatewaySeed % (uint)size)) : null;

            var expected = new List<(UInt128 First, UInt128 Last)>();
            for (var i = 0; i < size; i++)
            {
                var a = cidr.Network.Value + (UInt128)i;
                if ((prefixLength < 127 && i == 0) || gateway?.Value == a)
                {
                    continue;
                }

                if (expected.Count > 0 && expected[^1].Last + 1 == a)
                {
                    expected[^1] = (expected[^1].First, a);
                }
                else
                {
                    expected.Add((a, a));
                }
            }

            Assert.Equal(expected, SubnetRules.DefaultPools(cidr, gateway).Select(p => (p.First.Value, p.Last.Value)));
        }, iter: 300);
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.1", "10.0.0.2-10.0.0.254")]
    [InlineData("10.0.0.0/24", "10.0.0.1", "10.0.0.2-10.0.0.9", "10.0.0.10-10.0.0.20")]
    [InlineData("10.0.0.0/24", null, "10.0.0.1-10.0.0.254")]
    [InlineData("10.0.0.0/24", "10.0.0.100", "10.0.0.1-10.0.0.99", "10.0.0.101-10.0.0.254")]
    [InlineData("10.0.0.0/24", "10.9.9.9", "10.0.0.1-10.0.0.254")]
    [InlineData("10.0.0.0/31", null, "10.0.0.0-10.0.0.1")]
    [InlineData("10.0.0.7/32", null, "10.0.0.7-10.0.0.7")]
    [InlineData("2001:db8::/64", "2001:db8::1", "2001:db8::2-2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/127", null, "2001:db8::-2001:db8::1")] // Neutron: ::1 only; point-to-point here (RFC 6164)
    public void PoolErrors_ValidPools_AreEmpty(string cidr, string? gateway, params string[] pools)
    {
        Assert.Empty(SubnetRules.PoolErrors(Cidr.Parse(cidr), gateway is null ? null : IpAddress.Parse(gateway), Pools(pools)));
    }

    [Theory]
    [InlineData("10.0.0.0/24", null, "10.0.0.20-10.0.0.10")]
    [InlineData("10.0.0.0/24", null, "10.0.1.1-10.0.1.5")]
    [InlineData("10.0.0.0/24", null, "10.0.0.250-10.0.1.5")]
    [InlineData("10.0.0.0/24", null, "9.255.255.250-10.0.0.5")]
    [InlineData("10.0.0.0/24", null, "10.0.0.0-10.0.0.10")]
    [InlineData("10.0.0.0/24", null, "10.0.0.200-10.0.0.255")]
    [InlineData("10.0.0.0/24", null, "10.0.0.255-10.0.0.255")]
    [InlineData("10.0.0.0/24", "10.0.0.5", "10.0.0.1-10.0.0.20")]
    [InlineData("10.0.0.0/24", "10.0.0.5", "10.0.0.5-10.0.0.5")]
    [InlineData("10.0.0.0/24", null, "10.0.0.1-10.0.0.9", "10.0.0.9-10.0.0.20")]
    [InlineData("10.0.0.0/24", null, "10.0.0.1-10.0.0.50", "10.0.0.20-10.0.0.30")]
    [InlineData("10.0.0.0/24", null, "10.0.0.20-10.0.0.30", "10.0.0.1-10.0.0.50")]
    [InlineData("10.0.0.0/24", null, "::1-::2")]
    [InlineData("10.0.0.0/24", null, "10.0.0.1-::2")]
    [InlineData("2001:db8::/64", null, "10.0.0.1-10.0.0.2")]
    [InlineData("2001:db8::/64", null, "2001:db8::-2001:db8::10")]
    [InlineData("2001:db8::/64", null, "2001:db8::ffff:ffff:ffff:fff0-2001:db8:0:1::")]
    [InlineData("2001:db8::/64", "2001:db8::1", "2001:db8::1-2001:db8::ff")]
    public void PoolErrors_InvalidPools_AreReported(string cidr, string? gateway, params string[] pools)
    {
        Assert.NotEmpty(SubnetRules.PoolErrors(Cidr.Parse(cidr), gateway is null ? null : IpAddress.Parse(gateway), Pools(pools)));
    }

    [Fact]
    public void PoolErrors_MoreThanTheMaximumNumberOfPools_IsReportedAlone()
    {
        var cidr = Cidr.Parse("10.0.0.0/16");
        var singles = Enumerable.Range(0, SubnetRules.MaxAllocationPools + 1)
            .Select(i => cidr.First.Add((uint)(2 + (2 * i))))
            .Select(a => new AllocationPoolBounds(a, a))
            .ToArray();

        Assert.Empty(SubnetRules.PoolErrors(cidr, cidr.First.Add(1), singles[..SubnetRules.MaxAllocationPools]));
        Assert.Equal(["A subnet has at most 1000 allocation pools, not 1001."], SubnetRules.PoolErrors(cidr, cidr.First.Add(1), singles));
    }

    [Fact]
    public void PoolErrors_OverlapHiddenBehindAWideEarlierPool_IsReported()
    {
        var errors = SubnetRules.PoolErrors(Cidr.Parse("10.0.0.0/24"), null,
            Pools("10.0.0.1-10.0.0.100", "10.0.0.5-10.0.0.6", "10.0.0.50-10.0.0.60"));

        Assert.Contains(errors, e => e.Contains("10.0.0.50-10.0.0.60", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("10.0.0.5-10.0.0.6", StringComparison.Ordinal));
    }

    [Fact]
    public void PoolErrors_EachBadPool_GetsItsOwnError()
    {
        var errors = SubnetRules.PoolErrors(Cidr.Parse("10.0.0.0/24"), IpAddress.Parse("10.0.0.1"),
            Pools("10.0.0.9-10.0.0.2", "10.0.0.0-10.0.0.3", "10.0.0.1-10.0.0.1", "10.0.1.1-10.0.1.2", "::1-::2"));

        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void PoolErrors_RandomPoolsOnSlash24_EmptyExactlyWhenModelAccepts()
    {
        var pool = Gen.Select(Gen.Int[-3, 258], Gen.Int[-3, 258]);
        Gen.Select(pool.Array[0, 5], Gen.Int[-1, 255]).Sample((pools, gatewayOffset) =>
        {
            var cidr = Cidr.Parse("10.0.0.0/24");
            IpAddress? gateway = gatewayOffset < 0 ? null : At(gatewayOffset);

            // Model: each pool ordered, inside .1-.254, without the gateway; no address in two pools.
            var owners = new int[256];
            var invalid = 0;
            var overlap = false;
            foreach (var (start, end) in pools)
            {
                if (start > end || start < 1 || end > 254 || (gatewayOffset >= start && gatewayOffset <= end))
                {
                    invalid++;
                    continue;
                }

                for (var i = start; i <= end; i++)
                {
                    overlap |= owners[i]++ > 0;
                }
            }

            var errors = SubnetRules.PoolErrors(cidr, gateway, [.. pools.Select(p => new AllocationPoolBounds(At(p.Item1), At(p.Item2)))]);

            Assert.Equal(invalid == 0 && !overlap, errors.Count == 0);
            Assert.True(errors.Count >= invalid + (overlap ? 1 : 0));
        }, iter: 2000);

        static IpAddress At(int offset) => new(IpVersion.V4, (UInt128)(0x0a000000L + offset));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.0")]
    [InlineData("10.0.0.0/24", "10.0.0.255")]
    [InlineData("10.0.0.0/30", "10.0.0.3")]
    [InlineData("10.0.0.0/24", "::1")]
    [InlineData("2001:db8::/64", "10.0.0.1")]
    public void GatewayErrors_InvalidGateway_IsReported(string cidr, string gateway)
    {
        Assert.NotEmpty(SubnetRules.GatewayErrors(Cidr.Parse(cidr), IpAddress.Parse(gateway)));
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.1")]
    [InlineData("10.0.0.0/24", "10.0.0.254")]
    [InlineData("10.0.0.0/24", "192.168.1.1")]
    [InlineData("2001:db8::/64", "2001:db8::")]
    [InlineData("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/64", "2001:db8::1")]
    [InlineData("2001:db8::/64", "fe80::1")]
    [InlineData("10.0.0.0/31", "10.0.0.0")] // a router at one end of a point-to-point link; Neutron refuses it
    [InlineData("10.0.0.0/31", "10.0.0.1")]
    [InlineData("10.0.0.7/32", "10.0.0.7")]
    public void GatewayErrors_AcceptableGateway_IsEmpty(string cidr, string gateway)
    {
        Assert.Empty(SubnetRules.GatewayErrors(Cidr.Parse(cidr), IpAddress.Parse(gateway)));
    }

    [Fact]
    public void CheckSpecificAddress_OutsideCidr_ThrowsOutsideSubnet()
    {
        var subnet = MakeSubnet("10.0.0.0/24", "10.0.0.1", "10.0.0.2-10.0.0.254");

        var exception = Assert.Throws<AddressOutsideSubnetException>(() => SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("10.0.1.5"), false));
        Assert.Equal(ErrorCodes.AddressOutsideSubnet, exception.Code);
        Assert.Throws<AddressOutsideSubnetException>(() => SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("::ffff:10.0.0.5"), false));
    }

    [Theory]
    [InlineData("10.0.0.0", AddressReservedException.NetworkAddress)]
    [InlineData("10.0.0.255", AddressReservedException.BroadcastAddress)]
    [InlineData("10.0.0.1", AddressReservedException.GatewayAddress)]
    public void CheckSpecificAddress_ReservedIpv4Address_ThrowsReservedWithReason(string address, string reason)
    {
        var subnet = MakeSubnet("10.0.0.0/24", "10.0.0.1", "10.0.0.2-10.0.0.254");

        var exception = Assert.Throws<AddressReservedException>(() => SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse(address), false));
        Assert.Equal(ErrorCodes.AddressReserved, exception.Code);
        Assert.Equal(reason, exception.Context["reason"]);
    }

    [Fact]
    public void CheckSpecificAddress_GatewayWithConsentOrOutsidePools_IsAllowed()
    {
        var subnet = MakeSubnet("10.0.0.0/24", "10.0.0.1", "10.0.0.10-10.0.0.20");

        SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("10.0.0.1"), allowGateway: true);
        SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("10.0.0.200"), allowGateway: false);
        SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("10.0.0.254"), allowGateway: false);
        Assert.Throws<AddressReservedException>(() => SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("10.0.0.0"), allowGateway: true));
    }

    [Theory]
    [InlineData("10.0.0.0/31", "10.0.0.0")]
    [InlineData("10.0.0.0/31", "10.0.0.1")]
    [InlineData("10.0.0.7/32", "10.0.0.7")]
    [InlineData("2001:db8::/64", "2001:db8::")]
    [InlineData("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::/127", "2001:db8::")]
    public void CheckSpecificAddress_PointToPointOrIpv6Edges_IsAllowed(string cidr, string address)
    {
        var parsed = Cidr.Parse(cidr);
        var subnet = new Subnet
        {
            Id = Guid.NewGuid(),
            Cidr = parsed,
            Gateway = null,
            AllocationPools = SubnetRules.DefaultPools(parsed, null),
            CreatedAt = DateTimeOffset.UnixEpoch,
        };

        SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse(address), allowGateway: false);
    }

    [Fact]
    public void CheckSpecificAddress_Ipv6Gateway_NeedsConsent()
    {
        var subnet = MakeSubnet("2001:db8::/64", "2001:db8::1", "2001:db8::2-2001:db8::ffff:ffff:ffff:ffff");

        Assert.Throws<AddressReservedException>(() => SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("2001:db8::1"), false));
        SubnetRules.CheckSpecificAddress(subnet, IpAddress.Parse("2001:db8::1"), true);
    }

    private static AllocationPoolBounds[] Pools(params string[] pools) =>
        [.. pools.Select(p =>
        {
            var dash = p.IndexOf('-', StringComparison.Ordinal);
            return new AllocationPoolBounds(IpAddress.Parse(p[..dash]), IpAddress.Parse(p[(dash + 1)..]));
        })];

    private static Subnet MakeSubnet(string cidr, string? gateway, params string[] pools) => new()
    {
        Id = Guid.NewGuid(),
        Cidr = Cidr.Parse(cidr),
        Gateway = gateway is null ? null : IpAddress.Parse(gateway),
        AllocationPools = [.. Pools(pools).Select(p => new AddressRange(p.Start, p.End))],
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData(Ipv6AddressMode.Slaac, "slaac")]
    [InlineData(Ipv6AddressMode.Dhcpv6Stateless, "dhcpv6-stateless")]
    public void CheckAddressesChosenByIpam_AutoconfiguredSubnet_ThrowsAddressModeConflict(Ipv6AddressMode mode, string wire)
    {
        var subnet = V6Subnet(mode);

        var error = Assert.Throws<AddressModeConflictException>(() => SubnetRules.CheckAddressesChosenByIpam(subnet));

        Assert.Equal(ErrorCodes.AddressModeConflict, error.Code);
        Assert.Equal(wire, error.Context["ipv6_address_mode"]);
        Assert.Equal($"Subnet 2001:db8:7::/64 uses {wire}: hosts take EUI-64 addresses, so only mac_address requests are allowed.", error.Message);
    }

    [Theory]
    [InlineData(Ipv6AddressMode.Dhcpv6Stateful)]
    [InlineData(null)]
    public void CheckAddressesChosenByIpam_StatefulOrNoMode_Passes(Ipv6AddressMode? mode) =>
        SubnetRules.CheckAddressesChosenByIpam(V6Subnet(mode));

    private static Subnet V6Subnet(Ipv6AddressMode? mode) => new()
    {
        Id = Guid.NewGuid(),
        Cidr = Cidr.Parse("2001:db8:7::/64"),
        AllocationPools = SubnetRules.DefaultPools(Cidr.Parse("2001:db8:7::/64"), null),
        Ipv6AddressMode = mode,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
