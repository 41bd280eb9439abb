using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Workloads;

namespace Ipam.Benchmarks.Tests.Workloads;

/// <summary>
/// The direct load keeps the invariants the service keeps: the server started on a loaded file finds every usage
/// counter equal to its rows, sees each subnet as the service would have made it, and hands out exactly the addresses
/// the load left free; the counters still follow allocations made afterwards (the triggers are back). Each store's
/// loader gets the same tests (<see cref="SqliteScaleLoaderTests"/>, <see cref="PostgresScaleLoaderTests"/>).
/// </summary>
public abstract class ScaleLoaderTests : IAsyncLifetime
{
    private static readonly ScaleShape Shape = new(2_000, 22);

    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-scale-test-").FullName;
    private ScaleManifest _manifest = null!;

    public async ValueTask InitializeAsync() => _manifest = await ScaleLoader.LoadAsync(Shape, await NewDatabaseAsync(_directory), _directory, TextWriter.Null);

    /// <summary>What the load of the small shape made.</summary>
    private protected ScaleManifest Manifest => _manifest;

    /// <summary>A new, empty database of the store under test (a file may go in <paramref name="directory"/>).</summary>
    protected abstract Task<DatabaseLocation> NewDatabaseAsync(string directory);

    [Fact]
    public void LoadAsync_SmallShape_LoadsTheShapeAsked()
    {
        Assert.Equal(2_000, _manifest.Allocations);
        Assert.Equal(22, _manifest.Subnets);
        Assert.Equal(200, _manifest.Big.Loaded);
        Assert.Equal(0, _manifest.Empty.Loaded);
        Assert.All(_manifest.Small, s => Assert.Equal(90, s.Loaded));
        Assert.Equal(20, _manifest.Small.Select(s => s.Cidr).Distinct().Count());
    }

    [Fact]
    public async Task LoadAsync_ThenServe_UsageCheckFindsNoMismatch()
    {
        await using var server = await ScaleLoader.StartAsync(_manifest, durable: false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var check = await http.GetFromJsonAsync<JsonElement>("/v1/usage-check", TestContext.Current.CancellationToken);

        Assert.Equal(22, check.GetProperty("subnets_checked").GetInt64());
        Assert.Equal(0, check.GetProperty("mismatches").GetArrayLength());
    }

    [Fact]
    public async Task LoadAsync_ThenServe_SubnetsLookServiceMadeAndHoldTheirLoadedAddresses()
    {
        await using var server = await ScaleLoader.StartAsync(_manifest, durable: false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var cancel = TestContext.Current.CancellationToken;
        var serviceMade = await http.GetFromJsonAsync<JsonElement>($"/v1/subnets/{_manifest.Empty.Id}", cancel);

        foreach (var small in new[] { _manifest.Small[0], _manifest.Small[^1] })
        {
            var subnet = await http.GetFromJsonAsync<JsonElement>($"/v1/subnets/{small.Id}", cancel);
            var network = small.Cidr.Split('/')[0];
            var prefix = network[..network.LastIndexOf('.')];
            Assert.Equal($"{prefix}.1", subnet.GetProperty("gateway_ip").GetString());
            Assert.Equal($"[{{\"start\":\"{prefix}.2\",\"end\":\"{prefix}.254\"}}]", subnet.GetProperty("allocation_pools").GetRawText());
            Assert.Equal(Number(subnet.GetProperty("usage"), "allocated"), small.Loaded);
            Assert.Equal(0, subnet.GetProperty("usage").GetProperty("outside_pools").GetInt64());
            Assert.Equal(Names(serviceMade), Names(subnet));

            var loaded = await ListAsync(http, small.Id, cancel);
            Assert.Equal(small.Loaded, loaded.Count);
            Assert.All(loaded, a => Assert.InRange(LastOctet(a), 2, 254));
        }
    }

    [Fact]
    public async Task LoadAsync_ThenAllocateTheRest_OnlyAddressesTheLoadLeftFreeAndTheCountersFollow()
    {
        await using var server = await ScaleLoader.StartAsync(_manifest, durable: false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var cancel = TestContext.Current.CancellationToken;
        var small = _manifest.Small[3];
        var loaded = (await ListAsync(http, small.Id, cancel)).ToHashSet();
        var free = 253 - loaded.Count;

        using var rest = await http.PostAsJsonAsync($"/v1/subnets/{small.Id}/allocations", new { count = free }, cancel);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        var handedOut = (await rest.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("ip_address").GetString()!).ToList();
        using var beyond = await http.PostAsJsonAsync($"/v1/subnets/{small.Id}/allocations", new { }, cancel);

        Assert.Equal(free, handedOut.Distinct().Count());
        Assert.Empty(handedOut.Intersect(loaded));
        Assert.All(handedOut, a => Assert.InRange(LastOctet(a), 2, 254));
        Assert.Equal(HttpStatusCode.Conflict, beyond.StatusCode);
        var subnet = await http.GetFromJsonAsync<JsonElement>($"/v1/subnets/{small.Id}", cancel);
        Assert.Equal(253, Number(subnet.GetProperty("usage"), "allocated"));
        var check = await http.GetFromJsonAsync<JsonElement>("/v1/usage-check", cancel);
        Assert.Equal(0, check.GetProperty("mismatches").GetArrayLength());
    }

    public virtual ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static async Task<List<string>> ListAsync(HttpClient http, Guid subnetId, CancellationToken cancel)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/v1/subnets/{subnetId}/allocations?limit=1000", cancel);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        return [.. page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("ip_address").GetString()!)];
    }

    private static int LastOctet(string address) => int.Parse(address[(address.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A counter that may be written as a number or, being 128-bit, as a string.</summary>
    private static long Number(JsonElement usage, string name) =>
        usage.GetProperty(name) is { ValueKind: JsonValueKind.String } text ? long.Parse(text.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : usage.GetProperty(name).GetInt64();

    private static string Names(JsonElement subnet) => string.Join(",", subnet.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));
}
