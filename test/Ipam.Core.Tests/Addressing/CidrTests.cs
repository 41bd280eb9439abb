using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

public sealed class CidrTests
{
    [Fact]
    public void TryParse_HostBitsSet_FailsAndSuggestsTheNetwork()
    {
        Assert.False(Cidr.TryParse("10.0.0.5/24", out _, out var error));
        Assert.Contains("10.0.0.0/24", error, StringComparison.Ordinal);

        var exception = Assert.Throws<FormatException>(() => Cidr.Parse("10.0.0.5/24"));
        Assert.Contains("10.0.0.0/24", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Ipv6HostBitsSet_SuggestsTheIpv6Network()
    {
        Assert.False(Cidr.TryParse("2001:db8::1/64", out _, out var error));
        Assert.Contains("2001:db8::/64", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/100")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/ 24")]
    [InlineData("10.0.0.0 /24")]
    [InlineData("10.0.0.0/24 ")]
    [InlineData("10.0.0.0/+24")]
    [InlineData("10.0.0.0/2 4")]
    [InlineData("10.0.0.0/24/24")]
    [InlineData("10.0.0.0/x")]
    [InlineData("/24")]
    [InlineData("10.0/16")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("")]
    public void TryParse_MalformedText_IsRejected(string text)
    {
        Assert.False(Cidr.TryParse(text, out _));
        Assert.False(Cidr.TryParse(text.AsSpan(), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<FormatException>(() => Cidr.Parse(text));
    }

    [Theory]
    [InlineData("0.0.0.0/0", 4, 0)]
    [InlineData("10.0.0.0/8", 4, 8)]
    [InlineData("10.1.2.3/32", 4, 32)]
    [InlineData("::/0", 6, 0)]
    [InlineData("2001:db8::/32", 6, 32)]
    [InlineData("::1/128", 6, 128)]
    public void Parse_ValidText_KeepsNetworkAndLength(string text, int version, int prefixLength)
    {
        var cidr = Cidr.Parse(text);

        Assert.Equal((IpVersion)version, cidr.Version);
        Assert.Equal(prefixLength, cidr.PrefixLength);
        Assert.Equal(text, cidr.ToString());
    }

    [Fact]
    public void Constructor_HostBitsSet_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Cidr(IpAddress.Parse("10.0.0.5"), 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cidr(IpAddress.Parse("10.0.0.0"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cidr(IpAddress.Parse("10.0.0.0"), -1));
    }

    [Fact]
    public void FirstLastContains_RandomSmallIpv4Prefixes_MatchBruteForce()
    {
        Gen.Select(Gen.UInt, Gen.Int[22, 32]).Sample((seed, prefixLength) =>
        {
            var network = (uint)MaskBits(seed, 32, prefixLength);
            var cidr = new Cidr(new IpAddress(IpVersion.V4, network), prefixLength);
            var size = 1L << (32 - prefixLength);

            long? first = null, last = null;
            for (var v = (long)network - 40; v < network + size + 40; v++)
            {
                if (v < 0 || v > uint.MaxValue)
                {
                    continue;
                }

                var inside = SamePrefixBitByBit((UInt128)v, network, 32, prefixLength);
                Assert.Equal(inside, cidr.Contains(new IpAddress(IpVersion.V4, (UInt128)v)));
                if (inside)
                {
                    first ??= v;
                    last = v;
                }
            }

            Assert.Equal(first, (long)cidr.First.Value);
            Assert.Equal(last, (long)cidr.Last.Value);
            Assert.Equal(32 - prefixLength, cidr.HostBits);
            Assert.Equal(cidr, Cidr.Parse(cidr.ToString()));
        }, iter: 300);
    }

    [Fact]
    public void FirstLastContains_RandomSmallIpv6Prefixes_MatchBruteForce()
    {
        Gen.Select(IpAddressTests.Ipv6Value, Gen.Int[118, 128]).Sample((seed, prefixLength) =>
        {
            var network = MaskBits(seed, 128, prefixLength);
            var cidr = new Cidr(new IpAddress(IpVersion.V6, network), prefixLength);
            var size = UInt128.One << (128 - prefixLength);
            var lowest = network >= 40 ? network - 40 : 0;
            var highest = UInt128.MaxValue - network - (size - 1) >= 40 ? network + size - 1 + 40 : UInt128.MaxValue;

            UInt128? first = null, last = null;
            for (var v = lowest; ; v++)
            {
                var inside = SamePrefixBitByBit(v, network, 128, prefixLength);
                Assert.Equal(inside, cidr.Contains(new IpAddress(IpVersion.V6, v)));
                if (inside)
                {
                    first ??= v;
                    last = v;
                }

                if (v == highest)
                {
                    break;
                }
            }

            Assert.Equal(first, cidr.First.Value);
            Assert.Equal(last, cidr.Last.Value);
            Assert.Equal(cidr, Cidr.Parse(cidr.ToString()));
        }, iter: 300);
    }

    [Fact]
    public void Containing_RandomAddressAndLength_IsThePrefixWhoseBitsMatch()
    {
        Gen.Select(Gen.Bool, IpAddressTests.Ipv6Value, Gen.Int[0, 128]).Sample((v4, raw, length) =>
        {
            var bits = v4 ? 32 : 128;
            var prefixLength = length % (bits + 1);
            var address = v4 ? new IpAddress(IpVersion.V4, (uint)raw) : new IpAddress(IpVersion.V6, raw);

            var cidr = Cidr.Containing(address, prefixLength);

            Assert.Equal(address.Version, cidr.Version);
            Assert.Equal(prefixLength, cidr.PrefixLength);
            Assert.True(cidr.Contains(address));
            Assert.Equal(MaskBits(address.Value, bits, prefixLength), cidr.Network.Value);
            Assert.True(SamePrefixBitByBit(address.Value, cidr.Last.Value, bits, prefixLength));
            Assert.Equal(bits - prefixLength, cidr.HostBits);
        }, iter: 2000);
    }

    [Fact]
    public void Containing_ExtremeLengths_GiveWholeSpaceAndHostRoute()
    {
        var v4 = IpAddress.Parse("192.168.7.9");
        var v6 = IpAddress.Parse("2001:db8::7");

        Assert.Equal(Cidr.Parse("0.0.0.0/0"), Cidr.Containing(v4, 0));
        Assert.Equal(Cidr.Parse("192.168.7.9/32"), Cidr.Containing(v4, 32));
        Assert.Equal(Cidr.Parse("192.168.4.0/22"), Cidr.Containing(v4, 22));
        Assert.Equal(Cidr.Parse("::/0"), Cidr.Containing(v6, 0));
        Assert.Equal(Cidr.Parse("2001:db8::7/128"), Cidr.Containing(v6, 128));
        Assert.Equal(Cidr.Parse("2001:db8::/64"), Cidr.Containing(v6, 64));
        Assert.Equal(IpAddress.Parse("255.255.255.255"), Cidr.Parse("0.0.0.0/0").Last);
        Assert.Equal(new IpAddress(IpVersion.V6, UInt128.MaxValue), Cidr.Parse("::/0").Last);
    }

    [Fact]
    public void Contains_OtherFamily_IsFalse()
    {
        Assert.False(Cidr.Parse("0.0.0.0/0").Contains(IpAddress.Parse("::a00:1")));
        Assert.False(Cidr.Parse("::/0").Contains(IpAddress.Parse("10.0.0.1")));
        Assert.False(Cidr.Parse("10.0.0.0/8").Contains(IpAddress.Parse("::ffff:10.0.0.1")));
    }

    [Fact]
    public void ContainsRange_RangeCrossingTheEdge_IsFalse()
    {
        var cidr = Cidr.Parse("10.0.0.0/24");

        Assert.True(cidr.Contains(new AddressRange(IpAddress.Parse("10.0.0.0"), IpAddress.Parse("10.0.0.255"))));
        Assert.False(cidr.Contains(new AddressRange(IpAddress.Parse("10.0.0.200"), IpAddress.Parse("10.0.1.0"))));
        Assert.False(cidr.Contains(new AddressRange(IpAddress.Parse("9.255.255.255"), IpAddress.Parse("10.0.0.3"))));
    }

    /// <summary>Clears the low host bits one by one, without shifting masks.</summary>
    private static UInt128 MaskBits(UInt128 value, int bits, int prefixLength)
    {
        var result = value;
        for (var bit = 0; bit < bits - prefixLength; bit++)
        {
            result &= ~(UInt128.One << bit);
        }

        return bits == 32 ? result & uint.MaxValue : result;
    }

    private static bool SamePrefixBitByBit(UInt128 a, UInt128 b, int bits, int prefixLength)
    {
        for (var bit = bits - 1; bit >= bits - prefixLength; bit--)
        {
            if (((a >> bit) & 1) != ((b >> bit) & 1))
            {
                return false;
            }
        }

        return true;
    }
}
