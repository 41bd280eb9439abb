using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Allocations;

/// <summary>
/// What the <c>/v1/subnets/{id}/allocations</c> suites share: a subnet per test, the raw request for answers
/// other than 201, and the addresses of a bulk answer.
/// </summary>
public abstract class AllocationTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    protected async Task<string> SubnetAsync(object body) => Id(await api.CreateSubnetAsync(body));

    protected Task<HttpResponseMessage> PostAllocationAsync(string subnetId, object body) =>
        api.PostAsync($"/v1/subnets/{subnetId}/allocations", body);

    protected static List<string> Items(JsonObject bulk) => [.. bulk["items"]!.AsArray().Select(a => Ip(a!.AsObject()))];
}
