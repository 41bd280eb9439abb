using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// The free-text fields (<c>name</c>, <c>owner</c>, <c>description</c>, <c>tenant_id</c>) in bodies and query
/// parameters: at most 255 characters, no control or bidi control characters, on every endpoint that takes them; a
/// tenant id moreover without white space at either end.
/// </summary>
public abstract class TextFieldLimitTests(ApiFixture api) : BadInputTestBase(api)
{
    /// <summary>
    /// NUL, ESC (a terminal escape), DEL, a C1 control, the bidi override and isolate controls, the bidi marks (LRM,
    /// RLM, ALM), and the invisible zero width space, word joiner and byte order mark.
    /// </summary>
    private static readonly string[] Unsafe =
    [
        "a\0b", "\u001b[31mred", "tab\there", "line\nbreak", "del\u007f", "c1\u0085", "c1\u009b", "\u202eevil", "\u202a", "\u2066x\u2069",
        "\u200eltr", "rlm\u200f", "alm\u061c", "zero\u200bwidth", "word\u2060joiner", "\ufeffbom",
    ];

    /// <summary>Tenant ids that print like another's: white space (a space, a no-break space, an ideographic space) at either end.</summary>
    internal static readonly string[] LookalikeTenants = ["A ", " A", "A\u00a0", "\u3000A"];

    /// <summary>Every request that takes a free-text field: the request and the field it names.</summary>
    public static TheoryData<string, string> Targets => new()
    {
        { "create-subnet", "name" },
        { "create-subnet", "tenant_id" },
        { "update-subnet", "name" },
        { "create-subnet-pool", "name" },
        { "create-subnet-pool", "tenant_id" },
        { "update-subnet-pool", "name" },
        { "create-address-scope", "name" },
        { "create-address-scope", "tenant_id" },
        { "allocate", "owner" },
        { "allocate", "description" },
        { "allocate-count", "owner" },
        { "allocate-count", "description" },
        { "allocate-ip", "owner" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Body_TooLong_Returns400NamingTheFieldAndChangesNothing(string target, string field)
    {
        var problem = await RejectedTextAsync(target, field, new string('x', 256));

        Assert.Contains("255", string.Join(" ", problem["errors"]![field]!.AsArray()), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Body_UnsafeCharacters_Return400NamingTheFieldAndChangeNothing(string target, string field)
    {
        foreach (var value in Unsafe)
        {
            await RejectedTextAsync(target, field, value);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Body_LongestAndNonAsciiText_Accepted(string target, string field)
    {
        foreach (var value in new[] { new string('y', 255), string.Concat(Enumerable.Repeat("\U0001F600", 255)), "Zürich ☃ 名前 \U0001F600 עברית", "\U0001F469\u200D\U0001F4BB \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "tenant/a b-c_d.e" })
        {
            var (subnet, send) = await PrepareAsync(target, field, value);
            var response = await send();
            var created = await IpamServer.ExpectAsync(response, target.StartsWith("update", StringComparison.Ordinal) ? 200 : 201);
            var item = target == "allocate-count" ? created["items"]![0]!.AsObject() : created;
            Assert.Equal(value, (string?)item[field]);
            if (subnet is not null)
            {
                await Api.GetSubnetAsync(subnet);
            }
        }
    }

    [Theory]
    [InlineData("ab\u200fc", "U+200F at position 2")]
    [InlineData("\u061cx", "U+061C at position 0")]
    [InlineData("x\u200by", "U+200B at position 1")]
    [InlineData("x\ufeff", "U+FEFF at position 1")]
    public async Task Body_BidiMarkOrInvisibleCharacter_MessageNamesTheCharacter(string value, string named)
    {
        var problem = await RejectedTextAsync("create-subnet", "name", value);

        var message = string.Join(" ", problem["errors"]!["name"]!.AsArray());
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains("bidi controls or invisible characters", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create-subnet")]
    [InlineData("create-subnet-pool")]
    [InlineData("create-address-scope")]
    public async Task Body_LookalikeTenantId_Returns400NamingTheFieldAndChangesNothing(string target)
    {
        foreach (var value in LookalikeTenants)
        {
            await RejectedTextAsync(target, "tenant_id", value);
        }
    }

    [Theory]
    [InlineData("/v1/subnets")]
    [InlineData("/v1/subnet-pools")]
    [InlineData("/v1/address-scopes")]
    [InlineData("/v1/events")]
    public async Task Query_LookalikeTenantId_Returns400NamingTheParameter(string path)
    {
        var canary = await CanaryAsync();
        foreach (var value in LookalikeTenants)
        {
            var problem = await RejectedAsync(() => Api.Client.GetAsync($"{path}?tenant_id={Uri.EscapeDataString(value)}"), "invalid-request", canary);

            Assert.True(problem["errors"]!.AsObject().ContainsKey("tenant_id"), $"{value}: {problem.ToJsonString()}");
        }

        await Api.GetJsonAsync($"{path}?tenant_id={Uri.EscapeDataString("a b")}");
    }

    [Theory]
    [InlineData("/v1/subnets", "tenant_id")]
    [InlineData("/v1/subnet-pools", "tenant_id")]
    [InlineData("/v1/subnets/{id}/allocations", "owner")]
    public async Task Query_UnsafeOrTooLong_Returns400NamingTheParameter(string path, string parameter)
    {
        var canary = await CanaryAsync();
        var url = path.Replace("{id}", canary, StringComparison.Ordinal);
        foreach (var value in Unsafe.Append(new string('q', 256)))
        {
            var problem = await RejectedAsync(() => Api.Client.GetAsync($"{url}?{parameter}={Uri.EscapeDataString(value)}"), "invalid-request", canary);

            Assert.True(problem["errors"]!.AsObject().ContainsKey(parameter), problem.ToJsonString());
        }

        await Api.GetJsonAsync($"{url}?{parameter}={new string('q', 255)}");
    }

    [Fact]
    public async Task Allocate_CountWithHugeDescription_RefusedBeforeAnythingIsStored()
    {
        var id = Id(await Api.CreateSubnetAsync(new { cidr = "10.92.0.0/20" }));
        var body = new JsonObject { ["count"] = 1000, ["description"] = new string('d', 100_000) };

        var problem = await RejectedAsync(() => Api.PostJsonAsync($"/v1/subnets/{id}/allocations", body.ToJsonString()), "invalid-request", id);

        Assert.True(problem["errors"]!.AsObject().ContainsKey("description"), problem.ToJsonString());
        Assert.Equal(0, await Database.CountAllocationsAsync(Api.Server, id));
    }

    /// <summary>Sends <paramref name="value"/> as <paramref name="field"/> of <paramref name="target"/>; expects a 400 naming the field and no change.</summary>
    private async Task<JsonObject> RejectedTextAsync(string target, string field, string value)
    {
        var (subnet, send) = await PrepareAsync(target, field, value);
        var poolsBefore = await Api.ListAllAsync("/v1/subnet-pools");
        var scopesBefore = await Api.ListAllAsync("/v1/address-scopes");

        var problem = await RejectedAsync(send, "invalid-request", subnet is null ? [] : [subnet]);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{target} {field}: {problem.ToJsonString()}");
        Assert.Equal(poolsBefore.Select(p => p.ToJsonString()), (await Api.ListAllAsync("/v1/subnet-pools")).Select(p => p.ToJsonString()));
        Assert.Equal(scopesBefore.Select(s => s.ToJsonString()), (await Api.ListAllAsync("/v1/address-scopes")).Select(s => s.ToJsonString()));
        return problem;
    }

    /// <summary>Creates what the request needs (a subnet, a pool) and returns the subnet to watch and the request to send.</summary>
    private async Task<(string? Subnet, Func<Task<HttpResponseMessage>> Send)> PrepareAsync(string target, string field, string value)
    {
        switch (target)
        {
            case "create-subnet":
                return (null, () => Api.PostJsonAsync("/v1/subnets", new JsonObject { ["cidr"] = "10.93.0.0/24", [field] = value }.ToJsonString()));
            case "update-subnet":
            {
                var id = await CanaryAsync();
                return (id, () => Api.PatchJsonAsync($"/v1/subnets/{id}", new JsonObject { [field] = value }.ToJsonString()));
            }

            case "create-subnet-pool":
                return (null, () => Api.PostJsonAsync("/v1/subnet-pools",
                    new JsonObject { ["name"] = "p", ["prefixes"] = new JsonArray("10.94.0.0/16"), [field] = value }.ToJsonString()));
            case "update-subnet-pool":
            {
                var pool = await IpamServer.ExpectAsync(await Api.PostAsync("/v1/subnet-pools", new { name = "p", prefixes = new[] { "10.95.0.0/16" } }), 201);
                return (null, () => Api.PatchJsonAsync($"/v1/subnet-pools/{Id(pool)}", new JsonObject { [field] = value }.ToJsonString()));
            }

            case "create-address-scope":
                return (null, () => Api.PostJsonAsync("/v1/address-scopes", new JsonObject { ["name"] = "s", ["ip_version"] = 4, [field] = value }.ToJsonString()));
            default:
            {
                var id = await CanaryAsync();
                var body = new JsonObject { [field] = value };
                if (target == "allocate-count")
                {
                    body["count"] = 3;
                }
                else if (target == "allocate-ip")
                {
                    body["ip_address"] = "10.90.0.77";
                }

                return (id, () => Api.PostJsonAsync($"/v1/subnets/{id}/allocations", body.ToJsonString()));
            }
        }
    }
}

public sealed class TextFieldLimitTestsOnSqlite(SqliteApiFixture api) : TextFieldLimitTests(api), IClassFixture<SqliteApiFixture>;

public sealed class TextFieldLimitTestsOnPostgres(PostgresApiFixture api) : TextFieldLimitTests(api), IClassFixture<PostgresApiFixture>;
