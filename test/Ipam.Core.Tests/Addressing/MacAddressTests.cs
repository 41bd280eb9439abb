using System.Globalization;
using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("aa:bb:cc:dd:ee:ff")]
    [InlineData("aa-bb-cc-dd-ee-ff")]
    [InlineData("aabb.ccdd.eeff")]
    [InlineData("AA:BB:CC:DD:EE:FF")]
    [InlineData("AA-bb-CC-dd-EE-ff")]
    [InlineData("AABB.CCDD.EEFF")]
    public void TryParse_AcceptedForms_GiveTheSameAddress(string text)
    {
        Assert.True(MacAddress.TryParse(text, out var mac));
        Assert.Equal(0xaabbccddeeffUL, mac.Value);
        Assert.Equal("aa:bb:cc:dd:ee:ff", mac.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("aa:bb:cc:dd:ee")]
    [InlineData("aa:bb:cc:dd:ee:ff:00")]
    [InlineData("aa:bb:cc:dd:ee:f")]
    [InlineData("aa:bb:cc:dd:ee:fff")]
    [InlineData("a:bb:cc:dd:ee:fff")]
    [InlineData("aabb.ccdd.eef")]
    [InlineData("aabb.ccdd.eeff.0011")]
    [InlineData("aab.bccdd.eeff")]
    [InlineData("gg:bb:cc:dd:ee:ff")]
    [InlineData("aa:bb:cc:dd:ee:fz")]
    [InlineData("0x:bb:cc:dd:ee:ff")]
    [InlineData(" a:bb:cc:dd:ee:ff")]
    [InlineData("+a:bb:cc:dd:ee:ff")]
    [InlineData("aa:bb:cc:dd:ee:f ")]
    [InlineData("aa:bb-cc:dd:ee:ff")]
    [InlineData("aa-bb-cc-dd-ee:ff")]
    [InlineData("aa.bb.cc.dd.ee.ff")]
    [InlineData("aabb:ccdd:eeff")]
    [InlineData("aabb-ccdd-eeff")]
    [InlineData("aabb.ccdd-eeff")]
    [InlineData("aa:bb:cc:dd:ee:ff ")]
    public void TryParse_MalformedText_IsRejected(string text)
    {
        Assert.False(MacAddress.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_Null_IsRejected()
    {
        Assert.False(MacAddress.TryParse(null, out _));
    }

    [Fact]
    public void TryParse_RandomBytesInEachForm_RoundTripsToColonLowerCase()
    {
        Gen.Select(Gen.Byte.Array[6], Gen.Int[0, 2], Gen.Bool).Sample((bytes, form, upper) =>
        {
            var hex = bytes.Select(b => b.ToString(upper ? "X2" : "x2", CultureInfo.InvariantCulture)).ToArray();
            var text = form switch
            {
                0 => string.Join(':', hex),
                1 => string.Join('-', hex),
                _ => $"{hex[0]}{hex[1]}.{hex[2]}{hex[3]}.{hex[4]}{hex[5]}",
            };
            var expectedValue = bytes.Aggregate(0UL, (acc, b) => (acc << 8) | b);

            Assert.True(MacAddress.TryParse(text, out var mac));
            Assert.Equal(expectedValue, mac.Value);
            Assert.Equal(string.Join(':', hex).ToLowerInvariant(), mac.ToString());
            Assert.True(MacAddress.TryParse(mac.ToString(), out var again));
            Assert.Equal(mac, again);
        }, iter: 1000);
    }
}
