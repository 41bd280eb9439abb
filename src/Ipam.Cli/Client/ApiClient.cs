using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Ipam.Cli.Client;

/// <summary>
/// A thin client of the Ipam HTTP API. Responses stay <see cref="JsonElement"/>s, so <c>--json</c> prints exactly
/// what the server sent; <see cref="Read{T}"/> turns them into the server's DTOs for tables.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    /// <remarks>
    /// Strict about what a table needs: a member the server's types say is required or never null, missing or null in
    /// an answer, means the server is not the Ipam these types describe, and is said so rather than printed half.
    /// </remarks>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient http;

    /// <summary>For downloads, whose length the server bounds (its whole-database deadline), not a fixed timeout.</summary>
    private readonly HttpClient downloads;

    /// <summary>A client of <paramref name="server"/>, sending <paramref name="token"/> (when given) as a Bearer token.</summary>
    public ApiClient(Uri server, string? token = null)
    {
        Server = server;
        var baseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        http = Client(baseAddress, token, timeout: null);
        downloads = Client(baseAddress, token, Timeout.InfiniteTimeSpan);
    }

    public Uri Server { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, idempotencyKey: null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonObject body, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey, cancellationToken);

    public Task<JsonElement> PatchAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, body, idempotencyKey: null, cancellationToken);

    public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
        DeleteAsync(path, idempotencyKey: null, cancellationToken);

    public Task DeleteAsync(string path, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, body: null, idempotencyKey, cancellationToken);

    /// <summary>
    /// One page of a collection, or with <paramref name="all"/> every page from <paramref name="cursor"/> on, merged
    /// into one <c>{"items": [...], "next": null}</c>.
    /// </summary>
    public async Task<JsonElement> ListAsync(string path, Query query, string? cursor, bool all, CancellationToken cancellationToken)
    {
        var page = await GetAsync(query.With("cursor", cursor).AppendTo(path), cancellationToken);
        if (!all)
        {
            return page;
        }

        var items = new List<JsonElement>();
        while (true)
        {
            var (pageItems, next) = Read<PageShape>(page);
            items.AddRange(pageItems);
            if (next is null)
            {
                break;
            }

            if (next == cursor)
            {
                throw new ApiException($"the server returned the same cursor twice ({next}); stopped following pages", HttpStatusCode.OK, null, null);
            }

            cursor = next;
            page = await GetAsync(query.With("cursor", cursor).AppendTo(path), cancellationToken);
        }

        return JsonSerializer.SerializeToElement(new PageShape(items, null), JsonOptions);
    }

    /// <summary>Reads a response as <typeparamref name="T"/>; a response of another shape is an error, not a crash.</summary>
    public static T Read<T>(JsonElement response)
        where T : class
    {
        try
        {
            return response.Deserialize<T>(JsonOptions) ?? throw new JsonException("The response is null.");
        }
        catch (JsonException e)
        {
            throw new ApiException($"unexpected response from the server ({typeof(T).Name}): {e.Message}", HttpStatusCode.OK, null, response);
        }
    }

    /// <summary>
    /// Copies the body of a successful <c>GET</c> of <paramref name="path"/> of type <paramref name="mediaType"/> to
    /// <paramref name="destination"/> as it arrives, and returns its length; an error answer is thrown as for any request.
    /// </summary>
    public async Task<long> DownloadAsync(string path, string mediaType, Stream destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(mediaType);
        request.Headers.Accept.ParseAdd("application/problem+json");
        try
        {
            using var response = await downloads.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiException.FromResponse(response, await response.Content.ReadAsStringAsync(cancellationToken));
            }

            if (response.Content.Headers.ContentType?.MediaType != mediaType)
            {
                throw new ApiException(
                    $"HTTP {(int)response.StatusCode}: the response is {response.Content.Headers.ContentType?.MediaType ?? "untyped"}, not {mediaType}; is {Server} an Ipam server?",
                    response.StatusCode, null, null);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var before = destination.Position;
            await body.CopyToAsync(destination, cancellationToken);
            var length = destination.Position - before;
            if (response.Content.Headers.ContentLength is { } expected && expected != length)
            {
                throw new ServerUnreachableException(Server, $"the answer ended after {length} of {expected} bytes", null);
            }

            return length;
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new ServerUnreachableException(Server, Reason(e), e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is HttpRequestException or SocketException)
        {
            throw new ServerUnreachableException(Server, e.Message, e);
        }
    }

    /// <summary>A client of <paramref name="baseAddress"/> sending <paramref name="token"/>; <paramref name="timeout"/> null: HttpClient's default.</summary>
    private static HttpClient Client(Uri baseAddress, string? token, TimeSpan? timeout)
    {
        var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout }) { BaseAddress = baseAddress };
        if (timeout is { } limit)
        {
            client.Timeout = limit;
        }

        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public void Dispose()
    {
        http.Dispose();
        downloads.Dispose();
    }

    private async Task<JsonElement> SendAsync(
        HttpMethod method, string path, JsonObject? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("application/problem+json");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiException.FromResponse(response, text);
            }

            return text.Length == 0 ? default : Parse(text, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new ServerUnreachableException(Server, Reason(e), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException(Server, $"no answer within {http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private JsonElement Parse(string text, HttpStatusCode status)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException e)
        {
            throw new ApiException($"HTTP {(int)status}: the response is not JSON ({e.Message}); is {Server} an Ipam server?", status, null, null);
        }
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.Message,
        { } inner when inner.Message.Length > 0 => inner.Message,
        _ => e.Message,
    };

    /// <summary>The envelope of every collection response.</summary>
    private sealed record PageShape(List<JsonElement> Items, string? Next);
}
