using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>What the suites of refused imports share: the refusal changes no subnet and records no event.</summary>
public abstract class ImportRefusalTestBase(ApiFixture api) : BadInputTestBase(api)
{
    protected const string Format = """ "format": "ipam-export", "version": 1 """;

    /// <summary>Sends a plan that must be refused with <paramref name="code"/> and checks that nothing changed.</summary>
    protected async Task<JsonObject> ImportRejectedAsync(string plan, string code = "invalid-request")
    {
        var end = (string)(await Api.GetJsonAsync("/v1/events?tail=1"))["next"]!;

        var problem = await RejectedAsync(() => Api.PostJsonAsync("/v1/import", plan), code);

        Assert.Empty((await Api.GetJsonAsync($"/v1/events?after={end}"))["items"]!.AsArray());
        return problem;
    }

    /// <summary>A subnet with a new id that an import may load, its pools left to their default.</summary>
    protected static string NewSubnet(string cidr) => $$"""{"id": "{{Guid.NewGuid()}}", "cidr": "{{cidr}}", "gateway_ip": null}""";
}
