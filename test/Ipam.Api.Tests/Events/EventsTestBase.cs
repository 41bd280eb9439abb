using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Events;

/// <summary>Reading the events feed of a test's own tenant (the fixture's server is shared by the tests of a class).</summary>
public abstract class EventsTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    /// <summary>Every event of <paramref name="tenant"/> after <paramref name="after"/>, following <c>next</c> until a page is empty.</summary>
    protected Task<List<JsonObject>> EventsAsync(string tenant, int limit = 1000, string after = "0") =>
        FollowAsync(Api.Server, $"tenant_id={tenant}", limit, after);

    /// <summary>The feed's cursor at the end of the log now: what follows it happens later.</summary>
    protected async Task<string> EndCursorAsync() => (string)(await Api.GetJsonAsync("/v1/events?tail=1"))["next"]!;

    /// <summary>A subnet of <paramref name="tenant"/>.</summary>
    protected async Task<string> SubnetAsync(string tenant, string cidr) =>
        ApiFixture.Id(await Api.CreateSubnetAsync(new { cidr, tenant_id = tenant }));

    public static async Task<List<JsonObject>> FollowAsync(IpamServer server, string filter, int limit, string after)
    {
        var events = new List<JsonObject>();
        for (var pages = 0; pages < 10_000; pages++)
        {
            var page = await server.GetJsonAsync($"/v1/events?{filter}&limit={limit}&after={after}");
            var items = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            var next = (string)page["next"]!;
            if (items.Count == 0)
            {
                Assert.Equal(after, next);
                return events;
            }

            Assert.Equal((string?)items[^1]["id"], next);
            events.AddRange(items);
            after = next;
        }

        throw new InvalidOperationException("The feed never ended.");
    }

    public static List<string> Types(IEnumerable<JsonObject> events) => [.. events.Select(e => (string)e["type"]!)];

    public static long Position(JsonObject item) => long.Parse((string)item["id"]!, System.Globalization.CultureInfo.InvariantCulture);
}
