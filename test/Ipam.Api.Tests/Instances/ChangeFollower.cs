using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Changes;
using Ipam.Storage;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Follows the change log page by page after a cursor, the cursor moved to the last change read. Runs until
/// told to drain, then reads until it finds nothing more. The pages come either straight from a store (each in
/// a transaction of its own, as the events feed reads them) or from <c>GET /v1/events</c>.
/// </summary>
internal sealed class ChangeFollower(Func<long, Task<IReadOnlyList<FeedEntry>>> readPageAfter)
{
    private readonly List<FeedEntry> _seen = [];
    private volatile bool _draining;

    /// <summary>Every change read, in the order read.</summary>
    public IReadOnlyList<FeedEntry> Seen => _seen;

    /// <summary>How many non-empty pages were read before <see cref="Drain"/>.</summary>
    public int PagesWhileWriting { get; private set; }

    public static ChangeFollower OfStore(IIpamStore store, int pageSize) => new(async cursor =>
    {
        var page = await store.ReadAsync((session, ct) => session.ListChangesAsync(new ChangeQuery { After = cursor, Limit = pageSize }, ct));
        return [.. page.Select(FeedEntry.Of)];
    });

    /// <summary>
    /// Follows <c>GET /v1/events</c> through <paramref name="client"/>; through a round-robin client, each page comes
    /// from the next instance, so a cursor handed out by one instance is honoured by another.
    /// </summary>
    public static ChangeFollower OfEvents(HttpClient client, int pageSize) => new(async cursor =>
    {
        var page = (await client.GetFromJsonAsync<JsonObject>($"/v1/events?after={cursor}&limit={pageSize}"))!;
        var entries = page["items"]!.AsArray().Select(item => new FeedEntry(
            long.Parse((string)item!["id"]!, CultureInfo.InvariantCulture),
            (string)item["type"]!,
            item["subnet_id"] is { } subnet ? Guid.Parse((string)subnet!) : null,
            (string?)item["ip_address"])).ToList();
        var next = long.Parse((string)page["next"]!, CultureInfo.InvariantCulture);
        Assert.Equal(entries.Count == 0 ? cursor : entries[^1].Sequence, next);
        return entries;
    });

    /// <summary>Stops at the first empty page from now on: call it once nothing writes any more.</summary>
    public void Drain() => _draining = true;

    public async Task RunAsync()
    {
        long cursor = 0;
        while (true)
        {
            var draining = _draining;
            var page = await readPageAfter(cursor);
            if (page.Count == 0)
            {
                if (draining)
                {
                    return;
                }

                await Task.Delay(1);
                continue;
            }

            Assert.True(page[0].Sequence > cursor, $"a page after {cursor} started at {page[0].Sequence}");
            _seen.AddRange(page);
            cursor = page[^1].Sequence;
            PagesWhileWriting += draining ? 0 : 1;
        }
    }
}
