using System.Text;
using CsCheck;
using static Ipam.Api.Tests.Fuzz.FuzzValues;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// Every <c>/v1</c> endpoint as a shape: method, path with generated segments, the query parameters it knows
/// and the body fields it takes, each with its generator. <see cref="Request"/> turns the table into requests,
/// with malformed bodies, unknown fields and parameters, wrong methods and content types mixed in.
/// </summary>
internal static class FuzzEndpoints
{
    private static readonly Gen<string> UrlText = Text.Where(t => t.Length < 1_000);
    private static readonly Gen<string> Cursor = Gen.OneOf(UrlText, Address, Gen.OneOf("0", "-1", "MA", "eyJ4IjoxfQ", "99999999999999999999"));
    private static readonly (string, Gen<string>)[] Paging = [("limit", Integer), ("cursor", Cursor)];

    private static readonly Gen<string> Strategy = Gen.OneOf("random", "next", "first", "", "Random", "NEXT", "eui64", "next ", "\0");
    private static readonly Gen<string> Mode = Gen.OneOf("slaac", "dhcpv6-stateful", "dhcpv6-stateless", "SLAAC", "none", "");

    /// <summary>(method, path, query parameters, body fields; null: no body).</summary>
    private static readonly (string Method, Gen<string> Path, (string, Gen<string>)[] Query, (string, Gen<string>)[]? Fields)[] Shapes =
    [
        ("POST", Path("/v1/subnets"), [], [("id", Field(Id)), ("cidr", Field(Cidr)), ("subnet_pool_id", Field(Id)), ("prefixlen", Field(Integer, quoted: false)),
            ("name", Field(Text)), ("tenant_id", Field(Text)), ("gateway_ip", Field(Address)), ("allocation_pools", Field(Ranges, quoted: false)),
            ("ipv6_address_mode", Field(Mode)), ("reuse_cooldown_seconds", Field(Integer, quoted: false))]),
        ("GET", Path("/v1/subnets"), [("subnet_pool_id", Id), ("tenant_id", UrlText), ("ip_version", Integer), .. Paging], null),
        ("GET", Path("/v1/subnets/", Id), [], null),
        ("PATCH", Path("/v1/subnets/", Id), [], [("name", Field(Text)), ("gateway_ip", Field(Address)), ("allocation_pools", Field(Ranges, quoted: false)),
            ("reuse_cooldown_seconds", Field(Integer, quoted: false))]),
        ("DELETE", Path("/v1/subnets/", Id), [("force", Gen.OneOf("true", "false", "1", "yes", ""))], null),
        ("POST", Path("/v1/subnets/", Id, "/allocations"), [], [("strategy", Field(Strategy)), ("ip_address", Field(Address)), ("mac_address", Field(Mac)),
            ("count", Field(Integer, quoted: false)), ("allow_gateway", Field(Gen.OneOf("true", "false", "1", "\"true\""), quoted: false)),
            ("owner", Field(Text)), ("description", Field(Text)), ("expires_at", Field(Time, quoted: false))]),
        ("GET", Path("/v1/subnets/", Id, "/allocations"), [("owner", UrlText), .. Paging], null),
        ("GET", Path("/v1/subnets/", Id, "/allocations/", Address), [], null),
        ("DELETE", Path("/v1/subnets/", Id, "/allocations/", Address), [], null),
        ("GET", Path("/v1/subnets/", Id, "/allocations/", Address, "/history"), Paging, null),
        ("POST", Path("/v1/subnet-pools"), [], [("name", Field(Text)), ("prefixes", Field(Array(Cidr.Select(Quote)), quoted: false)),
            ("default_prefixlen", Field(Integer, quoted: false)), ("min_prefixlen", Field(Integer, quoted: false)), ("max_prefixlen", Field(Integer, quoted: false)),
            ("default_quota", Field(Integer, quoted: false)), ("address_scope_id", Field(Id)), ("tenant_id", Field(Text))]),
        ("GET", Path("/v1/subnet-pools"), [("address_scope_id", Id), ("tenant_id", UrlText), ("ip_version", Integer), .. Paging], null),
        ("GET", Path("/v1/subnet-pools/", Id), [], null),
        ("GET", Path("/v1/subnet-pools/", Id, "/available-prefixes"), [], null),
        ("PATCH", Path("/v1/subnet-pools/", Id), [], [("name", Field(Text)), ("prefixes", Field(Array(Cidr.Select(Quote)), quoted: false)),
            ("add_prefixes", Field(Array(Cidr.Select(Quote)), quoted: false)), ("remove_prefixes", Field(Array(Cidr.Select(Quote)), quoted: false)),
            ("default_prefixlen", Field(Integer, quoted: false)), ("min_prefixlen", Field(Integer, quoted: false)), ("max_prefixlen", Field(Integer, quoted: false)),
            ("default_quota", Field(Integer, quoted: false)), ("address_scope_id", Field(Id))]),
        ("DELETE", Path("/v1/subnet-pools/", Id), [], null),
        ("POST", Path("/v1/address-scopes"), [], [("name", Field(Text)), ("ip_version", Field(Integer, quoted: false)), ("tenant_id", Field(Text))]),
        ("GET", Path("/v1/address-scopes"), [("tenant_id", UrlText), ("ip_version", Integer), .. Paging], null),
        ("GET", Path("/v1/address-scopes/", Id), [], null),
        ("DELETE", Path("/v1/address-scopes/", Id), [], null),
        // wait: only 0 or out of range, so that no request long-polls.
        ("GET", Path("/v1/events"), [("after", Cursor), ("limit", Integer), ("tail", Integer), ("tenant_id", UrlText), ("wait", Gen.OneOf("0", "-1", "61", "x", "1.5"))], null),
        ("GET", Path("/v1/addresses/", Address), [("at", Gen.OneOf(UrlText, Time.Select(t => t.Trim('"'))))], null),
        ("GET", Path("/v1/allocations"), [("owner", UrlText), .. Paging], null),
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (12, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>(null, "text/plain", "application/xml", "application/json; charset=latin1", "application/merge-patch+json",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "*/*", "application/")));

    /// <summary>Headers a caller may send that the service reads; the spot for bad and missing tokens once authentication lands.</summary>
    private static readonly Gen<(string, string)[]> Headers = Gen.Frequency(
        (4, Gen.Const(System.Array.Empty<(string, string)>())),
        (1, Gen.OneOf(UrlText.Where(t => t.All(c => c is >= ' ' and < '\u007f')), Gen.Const(new string('k', 256)), Gen.Const(""))
            .Select(key => new[] { ("Idempotency-Key", key) })),
        (1, Gen.OneOf("1", "abc", "-5", "99999999999999999999", "").Select(id => new[] { ("Last-Event-ID", id) })));

    public static readonly Gen<FuzzRequest> Request =
        Gen.Int[0, Shapes.Length - 1].SelectMany(i => ShapeRequest(Shapes[i]));

    private static Gen<FuzzRequest> ShapeRequest((string Method, Gen<string> Path, (string, Gen<string>)[] Query, (string, Gen<string>)[]? Fields) shape) =>
        Gen.Select(
            Gen.Frequency((12, Gen.Const(shape.Method)), (1, Gen.OneOf(Methods))),
            shape.Path,
            QueryString(shape.Query),
            shape.Fields is null ? Gen.Frequency((8, Gen.Const((byte[]?)null)), (1, Body([]))) : Body(shape.Fields),
            ContentType,
            Headers,
            (method, path, query, body, type, headers) => new FuzzRequest(method, path + query, body is null ? null : type, body, headers));

    /// <summary>A path of fixed parts and generated segments (escaped, or raw when escaping cannot express them).</summary>
    private static Gen<string> Path(string first, params object[] rest) =>
        rest.Aggregate(Gen.Const(first), (path, part) => part switch
        {
            string fixedPart => path.Select(p => p + fixedPart),
            Gen<string> segment => path.SelectMany(p => segment.Select(s => p + Escape(s))),
            _ => throw new ArgumentException("A path part is text or a generator.", nameof(rest)),
        });

    private static Gen<string> QueryString((string, Gen<string>)[] known)
    {
        var parameters = known.Append(("unknown", UrlText)).Select(p => Gen.Frequency(
            (2, Gen.Const("")),
            (1, p.Item2.Select(v => $"&{p.Item1}={Escape(v)}"))));
        return parameters.Aggregate(Gen.Const(""), (all, one) => all.SelectMany(a => one.Select(o => a + o)))
            .SelectMany(q => Gen.Frequency((8, Gen.Const("")), (1, Gen.OneOf("&%zz=1", "&limit=1&limit=2", "&=", "&&"))).Select(extra => q + extra))
            .Select(q => q.Length == 0 ? "" : "?" + q[1..]);
    }

    /// <summary>A JSON object of some of the fields (each at most once, or twice), now and then malformed as a whole.</summary>
    private static Gen<byte[]?> Body((string, Gen<string>)[] fields)
    {
        var members = fields.Append(("unknown_field", AnyJson)).Select(f => Gen.Frequency(
            (f.Item1 == "unknown_field" ? 40 : 12, Gen.Const("")),
            (3, f.Item2.Select(v => $",{Quote(f.Item1)}:{v}")),
            (1, Gen.Select(f.Item2, f.Item2, (a, b) => $",{Quote(f.Item1)}:{a},{Quote(f.Item1)}:{b}"))));
        var json = members.Aggregate(Gen.Const(""), (all, one) => all.SelectMany(a => one.Select(o => a + o)))
            .Select(m => "{" + (m.Length == 0 ? "" : m[1..]) + "}");
        return Gen.Frequency(
            (200, json.Select(j => (byte[]?)Encoding.UTF8.GetBytes(j))),
            (8, Gen.Select(json, Gen.Int[0, 100], (j, cut) => (byte[]?)Encoding.UTF8.GetBytes(j[..(j.Length * cut / 100)]))),
            (8, Gen.OneOf("", "null", "[]", "[{}]", "\"text\"", "42", "{}{}", "{\"a\":1,}", "{'a':1}", "{/*c*/}", "\uFEFF{}", "{\"owner\":NaN}",
                new string('[', 10_000), "{\"a\":" + new string('[', 200) + new string(']', 200) + "}").Select(t => (byte[]?)Encoding.UTF8.GetBytes(t))),
            (4, Gen.OneOf<byte[]?>([0xff, 0xfe, 0x7b, 0x7d], [0x7b, 0x22, 0x6f, 0x77, 0x6e, 0x65, 0x72, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d], [0x00])),
            (1, Gen.Int[1_048_000, 1_049_600].Select(n => (byte[]?)Encoding.UTF8.GetBytes("{\"owner\":\"" + new string('z', n) + "\"}"))));
    }

    private static string Escape(string text)
    {
        if (text.StartsWith('{') && text.EndsWith('}') && text.Length < 16)
        {
            return text;
        }

        try
        {
            return Uri.EscapeDataString(text);
        }
        catch (UriFormatException)
        {
            // A lone surrogate: sent as the bytes a careless client would send.
            return "%ED%A0%80";
        }
    }
}
