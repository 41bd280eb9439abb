using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Authentication;

/// <summary>Requests that present a token, and the checks every refusal of a caller shares.</summary>
internal static class TokenRequests
{
    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? token) =>
        client.SendAsync(With(new HttpRequestMessage(HttpMethod.Get, path), token));

    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path, string? token) =>
        client.SendAsync(With(new HttpRequestMessage(HttpMethod.Delete, path), token));

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? token) =>
        client.SendAsync(With(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, token));

    /// <summary>Creates a token through the API with <paramref name="adminToken"/>; returns the answer (which holds the secret).</summary>
    public static async Task<JsonObject> CreateAsync(HttpClient client, string? adminToken, object body) =>
        await IpamServer.ExpectAsync(await PostAsync(client, "/v1/tokens", body, adminToken), 201);

    /// <summary>A 401 <c>unauthenticated</c> problem with a Bearer challenge.</summary>
    public static async Task ExpectUnauthenticatedAsync(HttpResponseMessage response)
    {
        await IpamServer.ExpectProblemAsync(response, 401, "unauthenticated");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
    }

    private static HttpRequestMessage With(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
