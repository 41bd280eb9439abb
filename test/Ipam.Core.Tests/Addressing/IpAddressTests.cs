using System.Globalization;
using CsCheck;
using Ipam.Addressing;

namespace Ipam.Core.Tests.Addressing;

public sealed class IpAddressTests
{
    /// <summary>IPv6 values that hit the interesting text shapes: runs of zero groups, ::1, ::ffff, plus uniform values.</summary>
    internal static readonly Gen<UInt128> Ipv6Value = Gen.OneOf(
        Gen.UInt128,
        Gen.Select(Gen.Int[0, 5], Gen.UShort).Array[8].Select(groups =>
        {
            UInt128 value = 0;
            foreach (var (choice, random) in groups)
            {
                ushort group = choice switch
                {
                    <= 2 => 0,
                    3 => 1,
                    4 => 0xffff,
                    _ => random,
                };
                value = (value << 16) | group;
            }

            return value;
        }));

    [Fact]
    public void FormatParse_RandomIpv4_RoundTripsAsDottedQuad()
    {
        Gen.UInt.Sample(value =>
        {
            var expected = string.Join('.', new[] { 24, 16, 8, 0 }.Select(shift => ((value >> shift) & 0xFF).ToString(CultureInfo.InvariantCulture)));
            var address = new IpAddress(IpVersion.V4, value);

            Assert.Equal(expected, address.ToString());
            Assert.Equal(address, IpAddress.Parse(expected));
            Assert.Equal(IpVersion.V4, IpAddress.Parse(expected).Version);

            Span<char> buffer = stackalloc char[64];
            Assert.True(address.TryFormat(buffer, out var written, default, null));
            Assert.Equal(expected, buffer[..written].ToString());
        }, iter: 2000);
    }

    [Fact]
    public void FormatParse_RandomIpv6_RoundTripsAsCanonicalText()
    {
        Ipv6Value.Sample(value =>
        {
            var address = new IpAddress(IpVersion.V6, value);
            var text = address.ToString();

            Assert.Equal(Rfc5952.Format(value, mixed: text.Contains('.', StringComparison.Ordinal)), text);
            var parsed = IpAddress.Parse(text);
            Assert.Equal(IpVersion.V6, parsed.Version);
            Assert.Equal(value, parsed.Value);
        }, iter: 3000);
    }

    [Fact]
    public void Parse_UncompressedUpperCaseIpv6_GivesSameValueAsCanonical()
    {
        Ipv6Value.Sample(value =>
        {
            var full = string.Join(':', Enumerable.Range(0, 8).Select(i => ((ushort)(value >> (112 - (16 * i)))).ToString("X4", CultureInfo.InvariantCulture)));

            var parsed = IpAddress.Parse(full);

            Assert.Equal(value, parsed.Value);
            Assert.Equal(IpVersion.V6, parsed.Version);
            Assert.Equal(parsed.ToString(), parsed.ToString().ToLowerInvariant());
        }, iter: 1000);
    }

    [Theory]
    [InlineData("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("0:0:0:0:0:0:0:0", "::")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe80:0:0:0:0:0:0:0", "fe80::")]
    [InlineData("::FFFF:10.0.0.1", "::ffff:10.0.0.1")]
    public void ToString_Ipv6_IsRfc5952Canonical(string input, string canonical)
    {
        Assert.Equal(canonical, IpAddress.Parse(input).ToString());
    }

    // docs/api.md lists these: the dotted tails glibc's inet_ntop and netaddr also write, and where they differ.
    [Theory]
    [InlineData("::1:0", "::0.1.0.0")]
    [InlineData("::a:b", "::0.10.0.11")]
    [InlineData("::2", "::2")]
    [InlineData("::ffff", "::ffff")]
    [InlineData("::ffff:0:0", "::ffff:0:0")]
    [InlineData("::ffff:c000:201", "::ffff:192.0.2.1")]
    [InlineData("::ffff:0:c000:201", "::ffff:0:192.0.2.1")]
    [InlineData("::1:ffff:0:0", "::1:ffff:0:0")]
    [InlineData("64:ff9b::c000:201", "64:ff9b::c000:201")]
    public void ToString_Ipv6WithEmbeddedIpv4_WritesTheDocumentedDottedTails(string input, string written)
    {
        Assert.Equal(written, IpAddress.Parse(input).ToString());
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("10.1.2")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.01")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.-4")]
    [InlineData("1.2.3.+4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.4/32")]
    [InlineData("1..2.3")]
    [InlineData("0x1.2.3.4")]
    [InlineData("1.2.3.4:80")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("")]
    [InlineData(" 10.0.0.1")]
    [InlineData("\t10.0.0.1")]
    [InlineData("::1/128")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("1::2::3")]
    [InlineData("12345::1")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("g::1")]
    public void TryParse_NonStrictText_IsRejected(string text)
    {
        Assert.False(IpAddress.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IpAddress.Parse(text));
    }

    [Fact]
    public void TryParse_Null_IsRejected()
    {
        Assert.False(IpAddress.TryParse((string?)null, out _));
    }

    [Fact]
    public void Parse_Ipv4MappedIpv6_StaysIpv6()
    {
        var mapped = IpAddress.Parse("::ffff:10.0.0.1");
        var plain = IpAddress.Parse("10.0.0.1");

        Assert.Equal(IpVersion.V6, mapped.Version);
        Assert.Equal(((UInt128)0xffff << 32) | 0x0a000001, mapped.Value);
        Assert.NotEqual(plain, mapped);
        Assert.Equal("::ffff:10.0.0.1", mapped.ToString());
        Assert.False(Cidr.Parse("10.0.0.0/8").Contains(mapped));
        Assert.True(Cidr.Parse("::ffff:0:0/96").Contains(mapped));
    }

    [Fact]
    public void Constructor_ValueBeyondIpv4_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IpAddress(IpVersion.V4, (UInt128)uint.MaxValue + 1));
        Assert.Equal("255.255.255.255", new IpAddress(IpVersion.V4, uint.MaxValue).ToString());
    }

    [Fact]
    public void CompareTo_RandomPairsOfOneFamily_OrdersByValue()
    {
        Gen.Select(Gen.UInt, Gen.UInt).Sample((a, b) =>
        {
            var x = new IpAddress(IpVersion.V4, a);
            var y = new IpAddress(IpVersion.V4, b);
            Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(x.CompareTo(y)));
            Assert.Equal(a < b, x < y);
        });
    }

    [Fact]
    public void KeyRoundTrip_RandomIpv6_IsBigEndianAndSortsLikeTheValue()
    {
        Gen.Select(Ipv6Value, Ipv6Value).Sample((a, b) =>
        {
            var ka = new IpAddress(IpVersion.V6, a).ToKey();
            var kb = new IpAddress(IpVersion.V6, b).ToKey();
            Assert.Equal(a, IpAddress.FromKey(IpVersion.V6, ka).Value);
            Assert.Equal((byte)(a >> 120), ka[0]);
            Assert.Equal((byte)a, ka[15]);
            Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(ka.AsSpan().SequenceCompareTo(kb)));
        });
    }

    /// <summary>An independent RFC 5952 formatter (section 4 compression, section 5 mixed notation).</summary>
    private static class Rfc5952
    {
        public static string Format(UInt128 value, bool mixed)
        {
            var groups = new ushort[8];
            for (var i = 0; i < 8; i++)
            {
                groups[i] = (ushort)(value >> (112 - (16 * i)));
            }

            if (!mixed)
            {
                return Compress(groups);
            }

            // Section 5: dotted-quad tails are for IPv4-compatible, IPv4-mapped, IPv4-translated and ISATAP forms only.
            var firstFourZero = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0;
            var embedsIpv4 = (firstFourZero && groups[4] == 0 && groups[5] is 0 or 0xffff) ||
                             (firstFourZero && groups[4] == 0xffff && groups[5] == 0) ||
                             ((groups[4] & 0xfdff) == 0 && groups[5] == 0x5efe);
            Assert.True(embedsIpv4, $"{value:x} is not an address that RFC 5952 writes with a dotted quad");
            var head = Compress(groups.AsSpan(0, 6));
            var quad = $"{groups[6] >> 8}.{groups[6] & 0xff}.{groups[7] >> 8}.{groups[7] & 0xff}";
            return head.EndsWith("::", StringComparison.Ordinal) ? head + quad : head + ":" + quad;
        }

        private static string Compress(ReadOnlySpan<ushort> groups)
        {
            int bestStart = -1, bestLength = 0;
            for (var i = 0; i < groups.Length;)
            {
                if (groups[i] != 0)
                {
                    i++;
                    continue;
                }

                var j = i;
                while (j < groups.Length && groups[j] == 0)
                {
                    j++;
                }

                if (j - i > bestLength)
                {
                    (bestStart, bestLength) = (i, j - i);
                }

                i = j;
            }

            var hex = groups.ToArray().Select(g => g.ToString("x", CultureInfo.InvariantCulture)).ToArray();
            if (bestLength < 2)
            {
                return string.Join(':', hex);
            }

            return string.Join(':', hex[..bestStart]) + "::" + string.Join(':', hex[(bestStart + bestLength)..]);
        }
    }
}
