using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;

namespace Ipam.Api.Tests.Tenancy;

/// <summary>
/// What the tenancy suites share: clients acting as a role in a tenant, and the check that another tenant's
/// resource answers exactly as one that does not exist.
/// </summary>
public abstract partial class TenancyTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    protected Task<HttpClient> MemberAsync(string tenant) => api.Server.ClientAsync(CallerRole.Member, tenant);

    protected Task<HttpClient> ReaderAsync(string tenant) => api.Server.ClientAsync(CallerRole.Reader, tenant);

    protected Task<HttpClient> AdminAsync() => api.Server.ClientAsync(CallerRole.Admin, null);

    protected static async Task<JsonObject> CreatedAsync(Task<HttpResponseMessage> request) => await IpamServer.ExpectAsync(await request, 201);

    protected static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> request) => await IpamServer.ExpectAsync(await request, 200);

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    /// <summary>A 403 <c>forbidden</c> problem naming the role that would be allowed.</summary>
    protected static async Task ForbiddenAsync(Task<HttpResponseMessage> request, string requiredRole)
    {
        var problem = await IpamServer.ExpectProblemAsync(await request, 403, "forbidden");
        Assert.Equal(requiredRole, (string?)problem["required_role"]);
    }

    /// <summary>
    /// A 404 answer as the client sees it: status, content type and body, without the per-request trace id.
    /// Two of them are equal exactly when a client cannot tell them apart.
    /// </summary>
    protected static async Task<string> NotFoundAsync(Task<HttpResponseMessage> request, string code)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 404, $"Expected 404 {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(code, (string?)JsonNode.Parse(text)!["code"]);
        return $"{response.Content.Headers.ContentType}\n{TraceId().Replace(text, "")}";
    }

    /// <summary>
    /// Checks that <paramref name="request"/> answers for another tenant's resource exactly as it does once the
    /// resource is gone (<paramref name="delete"/> removes it, as an admin).
    /// </summary>
    protected static async Task SameAsMissingAsync(Func<Task<HttpResponseMessage>> request, string code, Func<Task> delete)
    {
        var foreign = await NotFoundAsync(request(), code);
        await delete();
        Assert.Equal(await NotFoundAsync(request(), code), foreign);
    }

    protected static List<string> Ids(IEnumerable<JsonObject> items) => [.. items.Select(ApiFixture.Id)];

    /// <summary>Every item of a collection as <paramref name="client"/> sees it, page by page, checking that every page but the last is full.</summary>
    protected static async Task<List<JsonObject>> ListAllAsync(HttpClient client, string path, int limit)
    {
        var items = new List<JsonObject>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await OkAsync(client.GetAsync($"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")));
            var pageItems = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            cursor = (string?)page["next"];
            if (cursor is not null)
            {
                Assert.Equal(limit, pageItems.Count);
            }

            items.AddRange(pageItems);
        }
        while (cursor is not null);
        return items;
    }

    [GeneratedRegex("\"trace_id\":\"[^\"]*\",?")]
    private static partial Regex TraceId();
}
