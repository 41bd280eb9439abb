using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Instances;

/// <summary>Requests sent to one chosen instance, for tests where which instance answers matters.</summary>
internal static class InstanceRequests
{
    public static async Task<JsonObject> AllocateAsync(HttpClient instance, string subnetId, object body) =>
        await IpamServer.ExpectAsync(await instance.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", body), 201);

    public static async Task<string> NextAsync(HttpClient instance, string subnetId) =>
        (string)(await AllocateAsync(instance, subnetId, new { strategy = "next" }))["ip_address"]!;

    public static async Task ReleaseAsync(HttpClient instance, string subnetId, string address) =>
        ApiFixture.AssertStatus(await instance.DeleteAsync($"/v1/subnets/{subnetId}/allocations/{address}"), HttpStatusCode.NoContent);

    /// <summary>Asks for <paramref name="body"/> and checks the exact pool-exhausted answer.</summary>
    public static async Task ExhaustedAsync(HttpClient instance, string subnetId, object body, int requested, int free, int poolSize, int allocated)
    {
        var problem = await IpamServer.ExpectProblemAsync(
            await instance.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", body), 409, "pool-exhausted");
        var counts = (Requested: (int)problem["requested"]!, Free: (int)problem["free"]!, PoolSize: (int)problem["pool_size"]!, Allocated: (int)problem["allocated"]!);
        Assert.Equal((requested, free, poolSize, allocated), counts);
        Assert.Equal(subnetId, (string?)problem["subnet_id"]);
    }
}
