using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Ipam.Api.Tests.Web;

/// <summary>Stands in for the server's events stream in the browser, to make the console meet a dropped connection.</summary>
internal static class EventStreamRoutes
{
    /// <summary>
    /// The page's first connection to <c>/v1/events</c> gets a stream of <paramref name="change"/> alone, which then ends as
    /// a dropped connection would; every resume (a request with <c>Last-Event-ID</c>) is reported to
    /// <paramref name="resumedAfter"/> with that id and goes through to the server.
    /// </summary>
    public static Task OneEventThenDropAsync(IPage page, JsonNode change, Action<string> resumedAfter) =>
        page.RouteAsync("**/v1/events?*", async route =>
        {
            if (await route.Request.HeaderValueAsync("last-event-id") is { } lastEventId)
            {
                resumedAfter(lastEventId);
                await route.ContinueAsync();
                return;
            }

            await route.FulfillAsync(new()
            {
                Status = 200,
                ContentType = "text/event-stream",
                Body = $"id: {change["id"]}\nevent: {change["type"]}\ndata: {change.ToJsonString()}\n\n",
            });
        });
}
