using System.Net.ServerSentEvents;

namespace Ipam.Api.Tests.Events;

/// <summary>A client's end of <c>GET /v1/events</c> with <c>Accept: text/event-stream</c>, read with the BCL's SSE parser.</summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private EventStreamClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response => _response;

    public static async Task<EventStreamClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return new EventStreamClient(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or null when the server ended the stream; fails after <paramref name="timeout"/>.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan timeout) =>
        await _items.MoveNextAsync().AsTask().WaitAsync(timeout) ? _items.Current : null;

    /// <summary>Whether the server ends the stream (cleanly or by closing the connection) within <paramref name="timeout"/>, with no event first.</summary>
    public async Task<bool> EndedAsync(TimeSpan timeout)
    {
        try
        {
            return await NextAsync(timeout) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task<List<SseItem<string>>> TakeAsync(int count, TimeSpan timeout)
    {
        var items = new List<SseItem<string>>();
        while (items.Count < count)
        {
            items.Add(await NextAsync(timeout) ?? throw new InvalidOperationException($"The stream ended after {items.Count} events."));
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _items.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException)
        {
            // The connection is gone already.
        }
        catch (NotSupportedException)
        {
            // A read still pending (a test whose guard timed out): the parser refuses a dispose then, and the test's own failure tells more.
        }
    }
}
