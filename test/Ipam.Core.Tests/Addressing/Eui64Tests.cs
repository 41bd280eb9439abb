using System.Globalization;
using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

public sealed class Eui64Tests
{
    [Theory]
    [InlineData("2001:db8::/64", "2001:db8::f816:3eff:fe00:1122")]
    [InlineData("fd12:3456:789a:1::/64", "fd12:3456:789a:1:f816:3eff:fe00:1122")]
    public void AddressFor_NeutronVector_FlipsUniversalLocalBitAndInsertsFffe(string prefix, string expected)
    {
        Assert.True(MacAddress.TryParse("fa:16:3e:00:11:22", out var mac));

        Assert.Equal(IpAddress.Parse(expected), Eui64.AddressFor(Cidr.Parse(prefix), mac));
    }

    [Fact]
    public void AddressFor_LocallyAdministeredBitClear_SetsIt()
    {
        Assert.True(MacAddress.TryParse("00:00:5e:00:53:01", out var mac));

        Assert.Equal(IpAddress.Parse("2001:db8::200:5eff:fe00:5301"), Eui64.AddressFor(Cidr.Parse("2001:db8::/64"), mac));
    }

    [Fact]
    public void AddressFor_RandomMacAndPrefix_BuildsInterfaceIdByteByByte()
    {
        Gen.Select(Gen.Byte.Array[6], Gen.ULong).Sample((macBytes, upper) =>
        {
            var prefix = new Cidr(new IpAddress(IpVersion.V6, (UInt128)upper << 64), 64);
            Assert.True(MacAddress.TryParse(string.Join(':', macBytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))), out var mac));

            var key = Eui64.AddressFor(prefix, mac).ToKey();

            Assert.Equal(prefix.Network.ToKey()[..8], key[..8]);
            Assert.Equal((byte)(macBytes[0] ^ 0x02), key[8]);
            Assert.Equal(macBytes[1], key[9]);
            Assert.Equal(macBytes[2], key[10]);
            Assert.Equal(0xff, key[11]);
            Assert.Equal(0xfe, key[12]);
            Assert.Equal(macBytes[3], key[13]);
            Assert.Equal(macBytes[4], key[14]);
            Assert.Equal(macBytes[5], key[15]);
            Assert.True(prefix.Contains(Eui64.AddressFor(prefix, mac)));
        }, iter: 1000);
    }

    [Theory]
    [InlineData("2001:db8::/64", "2001:db8::f816:3eff:fe00:1122", true)]
    [InlineData("2001:db8::/64", "2001:db8::ffff:ffff:feff:ffff", true)]
    [InlineData("2001:db8::/64", "2001:db8::5", false)]
    [InlineData("2001:db8::/64", "2001:db8::f816:3eff:fd00:1122", false)]
    [InlineData("2001:db8::/64", "2001:db8:0:1:f816:3eff:fe00:1122", false)]
    [InlineData("2001:db8::/80", "2001:db8::f816:3eff:fe00:1122", false)]
    public void IsFormedIn_InterfaceIdAndPrefix_TrueOnlyForAnAddressAMacForms(string prefix, string address, bool expected)
    {
        Assert.Equal(expected, Eui64.IsFormedIn(Cidr.Parse(prefix), IpAddress.Parse(address)));
    }

    [Fact]
    public void IsFormedIn_AddressOfAnyMac_True()
    {
        Gen.Byte.Array[6].Sample(macBytes =>
        {
            var prefix = Cidr.Parse("2001:db8::/64");
            Assert.True(MacAddress.TryParse(string.Join(':', macBytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))), out var mac));

            Assert.True(Eui64.IsFormedIn(prefix, Eui64.AddressFor(prefix, mac)));
        }, iter: 1000);
    }

    [Theory]
    [InlineData("2001:db8::/63")]
    [InlineData("2001:db8::/65")]
    [InlineData("2001:db8::/48")]
    [InlineData("2001:db8::/128")]
    [InlineData("10.0.0.0/24")]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/32")]
    public void AddressFor_NotAnIpv6Slash64_Throws(string prefix)
    {
        Assert.True(MacAddress.TryParse("fa:16:3e:00:11:22", out var mac));

        Assert.Throws<ArgumentException>(() => Eui64.AddressFor(Cidr.Parse(prefix), mac));
    }
}
