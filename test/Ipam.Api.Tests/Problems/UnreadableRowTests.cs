using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// A row edited by hand into something the service never writes (here an address key past the largest IPv4 address, or
/// text where a key belongs): a request that needs it answers a 500 <c>unreadable-row</c> problem naming the table and
/// the row, nothing changes, and the rest of the subnet still answers. The server restarts after each edit, so that
/// nothing it cached from before is used.
/// </summary>
public sealed class UnreadableRowTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Allocation_KeyOfNoIPv4Address_ListAndAllocateAnswerUnreadableRow_TheSubnetAndOtherRowsStillAnswer(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store);
        var id = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = "10.23.0.0/24" }));
        await server.AllocateAsync(id, new { ip_address = "10.23.0.5" });
        await server.AllocateAsync(id, new { ip_address = "10.23.0.6" });
        await ExecuteAsync(server, $"UPDATE allocations SET ip = {Key(store, "FF")} WHERE subnet_id = @id AND ip = {Key(store, "0A170005")}", id);
        await server.RestartAsync();

        var listed = await ProblemAsync(await server.Client.GetAsync($"/v1/subnets/{id}/allocations"));
        var allocated = await ProblemAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }));

        foreach (var problem in new[] { listed, allocated })
        {
            Assert.Equal("allocations", (string?)problem["table"]);
            Assert.Equal($"(subnet_id {id}, ip 0x{new string('F', 32)})", (string?)problem["key"]);
            Assert.Contains("no IPv4 address", (string?)problem["detail"], StringComparison.Ordinal);
            Assert.Contains("ipam check", (string?)problem["detail"], StringComparison.Ordinal);
        }

        Assert.Equal(2, (long)(await server.GetJsonAsync($"/v1/subnets/{id}"))["usage"]!["allocated"]!);
        await server.GetJsonAsync($"/v1/subnets/{id}/allocations/10.23.0.6");
        Assert.Equal(2, await Database.CountAllocationsAsync(server, id));
        AssertNoUnhandledException(server);
    }

    [Fact]
    public async Task Allocation_TextInsteadOfAKey_AllocateAnswersUnreadableRow()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = "10.24.0.0/24" }));
        await server.AllocateAsync(id, new { ip_address = "10.24.0.5" });
        // Sixteen characters: the length the column checks.
        await ExecuteAsync(server, "UPDATE allocations SET ip = '10.24.0.5 (hand)' WHERE subnet_id = @id", id);
        await server.RestartAsync();

        var problem = await ProblemAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }));

        Assert.Equal($"(subnet_id {id}, ip '10.24.0.5 (hand)')", (string?)problem["key"]);
        Assert.Contains("ip holds '10.24.0.5 (hand)', not a 16-byte address key", (string?)problem["detail"], StringComparison.Ordinal);
        AssertNoUnhandledException(server);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Subnet_NetworkKeyOfNoAddress_GetAndListAnswerUnreadableRow(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store);
        var id = ApiFixture.Id(await server.CreateSubnetAsync(new { cidr = "10.25.0.0/24" }));
        await ExecuteAsync(server, $"UPDATE subnets SET network = {Key(store, "FF")} WHERE id = @id", id);
        await server.RestartAsync();

        var one = await ProblemAsync(await server.Client.GetAsync($"/v1/subnets/{id}"));
        var list = await ProblemAsync(await server.Client.GetAsync("/v1/subnets"));

        Assert.All(new[] { one, list }, p => Assert.Equal(("subnets", $"(id {id})"), ((string?)p["table"], (string?)p["key"])));
        Assert.Contains("network holds 0xFFFF", (string?)one["detail"], StringComparison.Ordinal);
        AssertNoUnhandledException(server);
    }

    private static Task<System.Text.Json.Nodes.JsonObject> ProblemAsync(HttpResponseMessage response) =>
        IpamServer.ExpectProblemAsync(response, 500, "unreadable-row");

    /// <summary>A 16-byte key literal of <paramref name="store"/>: "FF" fills it with 0xFF, else the hex is the key's last bytes.</summary>
    public static string Key(StoreKind store, string hex)
    {
        var key = hex == "FF" ? new string('F', 32) : hex.PadLeft(32, '0');
        return store == StoreKind.Sqlite ? $"X'{key}'" : $"'\\x{key}'::bytea";
    }

    private static async Task ExecuteAsync(IpamServer server, string sql, string subnetId)
    {
        var failed = await Database.TryExecuteAsync(server, sql, subnetId);
        Assert.Null(failed);
    }

    /// <summary>Nothing reached the handler of unexpected exceptions, which logs a stack trace and answers internal-error.</summary>
    private static void AssertNoUnhandledException(IpamServer server) =>
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Error && e.EventId.Id == 1000);
}
