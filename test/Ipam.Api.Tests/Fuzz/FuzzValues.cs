using System.Text.Json;
using CsCheck;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// Generators of field values, good and bad in about equal measure, as JSON literals (or raw text for paths,
/// queries and headers). <c>{subnet}</c>, <c>{pool}</c> and <c>{scope}</c> stand for ids of the fuzz world,
/// filled in when the request is sent.
/// </summary>
internal static class FuzzValues
{
    /// <summary>Text with control characters, NUL, bidirectional overrides, lone surrogates, and lengths around the limits.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (20, Gen.OneOf("", " ", "vm-1", "a\0b", "\0", "\u202Eevil", "\u2066iso\u2069", "bell\u0007", "tab\tx", "line\nbreak", "\r", "\u0085", "\u2028",
            "\uFEFF", "😀", "\ud800", "\udc00x", "ünïcödé", "%00", "../../etc", "{subnet}", "'; DROP TABLE subnets; --")),
        (3, Gen.Int[250, 260].Select(n => new string('x', n))),
        (1, Gen.Const(new string('y', 70_000))),
        (8, Gen.String[Gen.Char, 0, 30]));

    public static readonly Gen<string> Id = Gen.Frequency(
        (6, Gen.OneOf("{subnet}", "{subnet6}", "{slaac}", "{poolsubnet}", "{pool}", "{scope}")),
        (1, Gen.OneOf("not-a-uuid", "", "00000000-0000-0000-0000-000000000000", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "%20")),
        (1, Gen.Guid.Select(g => g.ToString())),
        (1, Gen.Guid.Select(g => g.ToString("N"))),
        (1, Gen.Guid.Select(g => g.ToString("B"))),
        (1, Gen.Guid.Select(g => g.ToString().ToUpperInvariant() + "0")));

    /// <summary>Addresses inside and outside the world's subnets, of both families, and malformed ones.</summary>
    public static readonly Gen<string> Address = Gen.OneOf(
        Gen.OneOf("10.100.0.10", "10.100.0.0", "10.100.0.1", "10.100.0.255", "10.101.0.1", "2001:db8:1::1", "2001:db8:1::", "2001:db8:2::5",
            "::ffff:10.100.0.7", "::", "0.0.0.0", "255.255.255.255", "fe80::1%eth0", "010.100.000.007", "10.100.0", "10.100.0.256", "1.2.3.4/32",
            "2001:DB8:1:0:0:0:0:FF", "::1::2", "10.100.0.7 ", " 10.100.0.7", "0x0a.0x64.0.7", "4294967295", "2001:db8:1::g"),
        Gen.Int[0, 255].Select(i => $"10.100.0.{i}"),
        Gen.Int[0, 255].Select(i => $"2001:db8:1::{i:x}"),
        Gen.UInt.Select(u => new System.Net.IPAddress(u).ToString()),
        Gen.String[Gen.Char["0123456789abcdef:.%/"], 0, 50]);

    public static readonly Gen<string> Cidr = Gen.OneOf(
        Gen.OneOf("10.100.0.0/24", "10.102.0.0/24", "10.102.0.5/24", "0.0.0.0/0", "::/0", "10.0.0.0/8", "2001:db8:9::/64", "2001:db8::/1",
            "10.102.0.0/33", "10.102.0.0/-1", "10.102.0.0/08", "10.102.0.0/", "/24", "10.102.0.0/24/24", "2001:db8::/129", "10.200.5.0/24",
            "10.102.0.0/2147483648", "::ffff:10.0.0.0/104", "10.102.0.0/32", "2001:db8:7::/128", "2001:db8:8::/127"),
        Gen.Select(Address, Gen.Int[-2, 130], (a, p) => $"{a}/{p}"));

    public static readonly Gen<string> Mac = Gen.OneOf(
        Gen.OneOf("00:11:22:33:44:55", "00-11-22-33-44-55", "0011.2233.4455", "ff:ff:ff:ff:ff:ff", "00:11:22:33:44", "00:11:22:33:44:55:66", "gg:11:22:33:44:55"),
        Gen.String[Gen.Char["0123456789abcdefABCDEF:-."], 0, 25]);

    /// <summary>Integers (as JSON literals) across every range an integer field has, and beyond.</summary>
    public static readonly Gen<string> Integer = Gen.OneOf(
        Gen.Int[-3, 140].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("0", "1", "2", "10000", "10001", "2592000", "2592001", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "99999999999999999999999", "1.0", "1.5", "1e2", "-0", "\"24\"", "0x10", "01"));

    public static readonly Gen<string> Time = Gen.OneOf(
        "\"2099-01-02T03:04:05Z\"", "\"2099-01-02T03:04:05+02:00\"", "\"2000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.9999999Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"2099-13-45T00:00:00Z\"", "\"2099-01-02\"", "\"tomorrow\"", "\"\"", "1234567890", "\"2099-01-02T03:04:05\"");

    /// <summary>Any JSON value, each type and a few edges of each.</summary>
    public static readonly Gen<string> AnyJson = Gen.OneOf(
        Gen.OneOf("null", "true", "false", "0", "-1", "1.5", "1e309", "-1e309", "[]", "{}", "[null]", "[1,\"a\"]", "{\"start\":1}", "\"\"", "\"\\u0000\"", "\"\\ud800\""),
        Integer,
        Text.Select(Quote));

    /// <summary>A JSON string literal (escaping everything a JSON string must escape, lone surrogates as escapes).</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>A field's value: mostly from its own domain (as a string, or as given), sometimes any JSON at all.</summary>
    public static Gen<string> Field(Gen<string> domain, bool quoted = true) =>
        Gen.Frequency((8, quoted ? domain.Select(Quote) : domain), (1, AnyJson));

    /// <summary>A JSON array of 0 to a few, or (rarely) thousands of, elements.</summary>
    public static Gen<string> Array(Gen<string> element) => Gen.Frequency(
        (12, element.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
        (1, Gen.Int[1_000, 5_000].Select(n => "[" + string.Join(',', Enumerable.Repeat(Quote("10.200.0.0/30"), n)) + "]")));

    public static readonly Gen<string> Range = Gen.OneOf(
        Gen.Select(Address, Address, (s, e) => $"{{\"start\":{Quote(s)},\"end\":{Quote(e)}}}"),
        Gen.Select(Address, AnyJson, (s, e) => $"{{\"start\":{Quote(s)},\"end\":{e}}}"),
        AnyJson);

    /// <summary>Lists of pool ranges, including thousands of them (more than a subnet may have).</summary>
    public static readonly Gen<string> Ranges = Gen.Frequency(
        (12, Range.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
        (1, Gen.Int[999, 3_000].Select(n => "[" + string.Join(',', Enumerable.Range(0, n).Select(i => $"{{\"start\":\"10.100.0.{i % 250 + 2}\",\"end\":\"10.100.0.{i % 250 + 2}\"}}")) + "]")));
}
