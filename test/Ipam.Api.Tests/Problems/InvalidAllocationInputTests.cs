using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>Invalid allocation requests: MAC and address syntax, conflicting fields, count, strategy and key.</summary>
public abstract class InvalidAllocationInputTests(ApiFixture api) : BadInputTestBase(api)
{
    [Theory]
    [InlineData("zz:16:3e:00:11:22")]
    [InlineData("fa:16:3e:00:11")]
    [InlineData("fa:16:3e:00:11:22:33")]
    [InlineData("fa:16:3e:00:11:2")]
    [InlineData("fa16.3e00.112")]
    [InlineData("fa163e001122x")]
    [InlineData("")]
    [InlineData("10.90.0.5")]
    public async Task Allocate_BadMacSyntax_Returns400InvalidRequest(string mac)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["mac_address"] = mac }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("mac_address"));
    }

    [Theory]
    [InlineData("00:00:00:00:00:00", "all-zero")]
    [InlineData("0000.0000.0000", "all-zero")]
    [InlineData("ff:ff:ff:ff:ff:ff", "broadcast")]
    [InlineData("FF-FF-FF-FF-FF-FF", "broadcast")]
    public async Task Allocate_AllZeroOrBroadcastMac_Returns400InvalidRequestSayingNoInterfaceHasIt(string mac, string kind)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["mac_address"] = mac }.ToJsonString());

        var message = Assert.Single(problem["errors"]!["mac_address"]!.AsArray())!.GetValue<string>();
        Assert.Contains(kind, message, StringComparison.Ordinal);
        Assert.Contains("no interface", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("10.90.0")]
    [InlineData("10.90.0.256")]
    [InlineData("10.90.0.50/32")]
    [InlineData("")]
    public async Task Allocate_BadIpAddressSyntax_Returns400InvalidRequest(string ip)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["ip_address"] = ip }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("ip_address"));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public async Task Allocate_ExpiresAtOutOfRangeInUtc_Returns400SayingWhichRange(string time)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["expires_at"] = time }.ToJsonString());

        Assert.Equal(
            "expires_at is out of range: times from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z, once converted to UTC, are accepted.",
            (string?)problem["errors"]!["expires_at"]![0]);
    }

    [Fact]
    public async Task Allocate_MacAndIpTogether_Returns400InvalidRequest() =>
        await AllocateRejectedAsync("""{"ip_address": "10.90.0.50", "mac_address": "fa:16:3e:00:11:22"}""");

    [Theory]
    [InlineData("""{"ip_address": "10.90.0.50", "count": 2}""")]
    [InlineData("""{"ip_address": "10.90.0.50", "strategy": "next"}""")]
    [InlineData("""{"mac_address": "fa:16:3e:00:11:22", "count": 1}""")]
    public async Task Allocate_SpecificWithStrategyOrCount_Returns400InvalidRequest(string body) => await AllocateRejectedAsync(body);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10001")]
    [InlineData("1e30")]
    [InlineData("2147483648")]
    public async Task Allocate_CountOutOfRange_Returns400InvalidRequest(string count)
    {
        var problem = await AllocateRejectedAsync($$"""{"count": {{count}}}""");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("count"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("lowest")]
    public async Task Allocate_UnknownStrategy_Returns400InvalidRequest(string strategy)
    {
        var problem = await AllocateRejectedAsync(new JsonObject { ["strategy"] = strategy }.ToJsonString());

        Assert.True(problem["errors"]!.AsObject().ContainsKey("strategy"));
    }

    [Fact]
    public async Task Allocate_IdempotencyKeyTooLong_Returns400InvalidRequest()
    {
        var id = await CanaryAsync();

        await RejectedAsync(() => Api.AllocateWithKeyAsync(id, new string('k', 256), new { }), "invalid-request", id);
    }
}

public sealed class InvalidAllocationInputTestsOnSqlite(SqliteApiFixture api) : InvalidAllocationInputTests(api), IClassFixture<SqliteApiFixture>;

public sealed class InvalidAllocationInputTestsOnPostgres(PostgresApiFixture api) : InvalidAllocationInputTests(api), IClassFixture<PostgresApiFixture>;

public sealed class InvalidAllocationInputTestsOnThreeInstances(ThreeInstancesApiFixture api) : InvalidAllocationInputTests(api), IClassFixture<ThreeInstancesApiFixture>;
