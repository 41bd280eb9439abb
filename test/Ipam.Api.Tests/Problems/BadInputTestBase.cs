using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// What the bad-input suites share: every rejected request is a 400 <c>application/problem+json</c> with a
/// stable code and an <c>errors</c> object, exposes no internals, and leaves every subnet and allocation as it was.
/// </summary>
public abstract class BadInputTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    /// <summary>A subnet with two allocations, so that a wrongly accepted request would show.</summary>
    protected async Task<string> CanaryAsync(object? body = null)
    {
        var id = Id(await api.CreateSubnetAsync(body ?? new { cidr = "10.90.0.0/24", name = "canary" }));
        await api.AllocateAsync(id, new { ip_address = "10.90.0.10", owner = "canary" });
        await api.AllocateAsync(id, new { ip_address = "10.90.0.11" });
        return id;
    }

    /// <summary>Sends a request that must be rejected and checks that nothing changed.</summary>
    protected async Task<JsonObject> RejectedAsync(Func<Task<HttpResponseMessage>> send, string code = "invalid-request", params string[] subnetIds)
    {
        var before = await api.SnapshotAsync(subnetIds);
        var response = await send();
        var text = await response.Content.ReadAsStringAsync();

        var problem = await ValidationProblemAsync(response, code);

        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Ipam.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean to use a Service", text, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync(subnetIds));
        return problem;
    }

    protected Task<JsonObject> CreateRejectedAsync(string body, string code = "invalid-request") =>
        RejectedAsync(() => api.PostJsonAsync("/v1/subnets", body), code);

    protected async Task<JsonObject> AllocateRejectedAsync(string body, string code = "invalid-request")
    {
        var id = await CanaryAsync();
        return await RejectedAsync(() => api.PostJsonAsync($"/v1/subnets/{id}/allocations", body), code, id);
    }

    protected async Task<JsonObject> PatchRejectedAsync(string body, string code = "invalid-request")
    {
        var id = await CanaryAsync();
        return await RejectedAsync(() => api.PatchJsonAsync($"/v1/subnets/{id}", body), code, id);
    }
}
