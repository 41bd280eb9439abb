using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>
/// One Ipam server shared by the tests of a class (they run one after another). Each test creates its own
/// subnets, so tests see only their own data; <see cref="SnapshotAsync"/> captures everything a failed
/// request must leave untouched.
/// </summary>
public abstract class ApiFixture(StoreKind store) : IAsyncLifetime
{
    private IpamServer? _server;

    public IpamServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Client => Server.Client;

    /// <summary>The store of this server, for tests that start a server of their own.</summary>
    public StoreKind Store => store;

    // Functional tests need no fsync per commit; durability has its own tests. Nor do they test the request
    // deadline (Faults/ does): a 10,000-address request on a busy test machine may take longer than the default.
    public async ValueTask InitializeAsync() => _server = await IpamServer.StartAsync(
        durableCommits: false, store: store, configure: options => options with { RequestTimeout = TimeSpan.FromMinutes(2) });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public Task<JsonObject> CreateSubnetAsync(object body) => Server.CreateSubnetAsync(body);

    public Task<JsonObject> AllocateAsync(string subnetId, object? body = null) => Server.AllocateAsync(subnetId, body);

    public Task<JsonObject> GetJsonAsync(string path) => Server.GetJsonAsync(path);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) => Server.PostJsonAsync(path, json);

    public Task<HttpResponseMessage> PatchJsonAsync(string path, string json) => Server.PatchJsonAsync(path, json);

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PatchAsync(string path, object body) => Client.PatchAsJsonAsync(path, body);

    public Task<JsonObject> GetSubnetAsync(string id) => GetJsonAsync($"/v1/subnets/{id}");

    /// <summary>Posts an allocation request with an <c>Idempotency-Key</c> header.</summary>
    public async Task<HttpResponseMessage> AllocateWithKeyAsync(string subnetId, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{subnetId}/allocations")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await Client.SendAsync(request);
    }

    /// <summary>Releases an address with an <c>Idempotency-Key</c> header, through <paramref name="client"/> (the fixture's by default).</summary>
    public async Task<HttpResponseMessage> ReleaseWithKeyAsync(string subnetId, string ip, string key, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/subnets/{subnetId}/allocations/{ip}");
        request.Headers.Add("Idempotency-Key", key);
        return await (client ?? Client).SendAsync(request);
    }

    /// <summary>Every item of a collection, following <c>next</c> cursors with the given page size.</summary>
    public async Task<List<JsonObject>> ListAllAsync(string path, int limit = 1000)
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var pages = 0; pages < 10_000; pages++)
        {
            var url = $"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await GetJsonAsync(url);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            cursor = (string?)page["next"];
            if (cursor is null)
            {
                return items;
            }
        }

        throw new InvalidOperationException($"{path} never returned a null next cursor.");
    }

    /// <summary>All allocations of a subnet, in the order the server lists them.</summary>
    public Task<List<JsonObject>> AllocationsAsync(string subnetId) => ListAllAsync($"/v1/subnets/{subnetId}/allocations");

    /// <summary>The addresses allocated in a subnet.</summary>
    public async Task<List<string>> AllocatedAddressesAsync(string subnetId) =>
        [.. (await AllocationsAsync(subnetId)).Select(a => (string)a["ip_address"]!)];

    /// <summary>
    /// Everything the server knows that a request could change: every subnet (with usage) and the allocations
    /// of the given subnets, as JSON text to compare before and after a request that must change nothing.
    /// </summary>
    public async Task<string> SnapshotAsync(params string[] subnetIds)
    {
        var subnets = new JsonArray([.. (await ListAllAsync("/v1/subnets")).Select(s => (JsonNode)s.DeepClone())]);
        var allocations = new JsonObject();
        foreach (var id in subnetIds)
        {
            allocations[id] = new JsonArray([.. (await AllocationsAsync(id)).Select(a => (JsonNode)a.DeepClone())]);
        }

        return new JsonObject { ["subnets"] = subnets, ["allocations"] = allocations }.ToJsonString();
    }

    /// <summary>A tenant no other test uses, so that filtering by it sees only this test's resources.</summary>
    public static string NewTenant() => $"tenant-{Guid.NewGuid():N}";

    public static string Id(JsonObject resource) => (string)resource["id"]!;

    public static string Ip(JsonObject allocation) => (string)allocation["ip_address"]!;

    /// <summary>The allocation pools of a subnet as "start-end" strings.</summary>
    public static List<string> PoolsOf(JsonObject subnet) =>
        [.. subnet["allocation_pools"]!.AsArray().Select(p => $"{(string)p!["start"]!}-{(string)p["end"]!}")];

    /// <summary>A usage counter as the exact integer literal the server wrote.</summary>
    public static string Usage(JsonObject subnet, string counter) => subnet["usage"]![counter]!.ToJsonString();

    /// <summary>The addresses from <paramref name="first"/> to <paramref name="last"/> (one IPv4 /24 or less).</summary>
    public static List<string> V4Range(string prefix, int first, int last) =>
        [.. Enumerable.Range(first, last - first + 1).Select(i => $"{prefix}.{i}")];

    /// <summary>IPv4 addresses as sortable integers.</summary>
    public static uint V4(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    public static Task<JsonObject> ProblemAsync(HttpResponseMessage response, int status, string code) =>
        IpamServer.ExpectProblemAsync(response, status, code);

    /// <summary>A validation problem: the given status and code, and a non-empty <c>errors</c> object.</summary>
    public static async Task<JsonObject> ValidationProblemAsync(HttpResponseMessage response, string code = "invalid-request", int status = 400)
    {
        var problem = await IpamServer.ExpectProblemAsync(response, status, code);
        var errors = Assert.IsType<JsonObject>(problem["errors"]);
        Assert.NotEmpty(errors);
        foreach (var (field, messages) in errors)
        {
            Assert.False(string.IsNullOrEmpty(field));
            var list = Assert.IsType<JsonArray>(messages);
            Assert.NotEmpty(list);
            Assert.All(list, m => Assert.False(string.IsNullOrWhiteSpace((string?)m)));
        }

        return problem;
    }

    public static void AssertStatus(HttpResponseMessage response, HttpStatusCode status) =>
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}");
}

public sealed class SqliteApiFixture() : ApiFixture(StoreKind.Sqlite);

public sealed class PostgresApiFixture() : ApiFixture(StoreKind.Postgres);

public sealed class ThreeInstancesApiFixture() : ApiFixture(StoreKind.ThreePostgresInstances);
