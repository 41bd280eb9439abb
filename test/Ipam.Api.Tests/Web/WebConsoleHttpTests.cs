using System.Net;
using System.Text.RegularExpressions;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Web;

/// <summary>The console's page and assets over plain HTTP: content types, caching, security headers, no external URLs.</summary>
public sealed partial class WebConsoleHttpTests
{
    [Fact]
    public async Task Root_Get_ServesTheConsolePageAsHtml()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var response = await server.Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"module\" src=\"ui/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"ui/style.css\">", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/ui/app.js", "text/javascript", "import { openEvents } from \"./events.js\";")]
    [InlineData("/ui/event-stream.js", "text/javascript", "export function followEventStream(")]
    [InlineData("/ui/style.css", "text/css", ":root {")]
    public async Task Asset_Get_ServedWithItsContentType(string path, string mediaType, string expectedText)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var response = await server.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains(expectedText, text, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoCache, "assets must be revalidated so that a new version shows at once");
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ui/app.js")]
    [InlineData("/ui/api.js")]
    [InlineData("/ui/style.css")]
    public async Task Asset_GetWithCurrentETag_Returns304(string path)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var first = await server.Client.GetAsync(path);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await server.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_Root_AnswersWithoutBody()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var response = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ui_Get_RedirectsToTheConsole()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
        var response = await client.GetAsync("/ui");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UnknownAsset_Get_IsAProblemNotThePage()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var response = await server.Client.GetAsync("/ui/missing.js");
        await IpamServer.ExpectProblemAsync(response, 404, "not-found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ipam_not-a-token")]
    public async Task EventStream_AuthOnWithoutAValidToken_401WithChallengeNotAFailure(string? token)
    {
        // The console's Events page asks for a token on this answer; it accepts text/event-stream only.
        await using var server = await IpamServer.StartAsync(durableCommits: false, authentication: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events?tail=10");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Modules_EveryImport_IsServedAsJavaScript()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        var modules = await ModulesAsync(server.Client);

        Assert.Contains("/ui/app.js", modules);
        Assert.Contains("/ui/event-stream.js", modules);
        Assert.True(modules.Count > 10, $"only {modules.Count} modules: {string.Join(", ", modules)}");
    }

    [Fact]
    public async Task Page_References_OnlyItsOwnAssets()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        foreach (var path in (await ModulesAsync(server.Client)).Concat(["/", "/ui/style.css"]))
        {
            var text = await server.Client.GetStringAsync(path);
            Assert.DoesNotMatch(ExternalUrl(), text);
        }

        var html = await server.Client.GetStringAsync("/");
        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.True(
            url.StartsWith('#') || url.StartsWith("ui/", StringComparison.Ordinal) || url == "docs" || url.StartsWith("data:", StringComparison.Ordinal),
            $"{url} is not one of the console's own files"));
    }

    [Fact]
    public async Task OpenApiDocument_DoesNotListTheConsole()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var document = await server.GetJsonAsync("/openapi/v1.json");
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.DoesNotContain("/", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/ui", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_HasLabelsForEveryInput()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var html = await server.Client.GetStringAsync("/");
        var labelled = LabelFor().Matches(html).Select(m => m.Groups["id"].Value).ToHashSet();

        foreach (Match input in Input().Matches(html))
        {
            var tag = input.Value;
            var id = InputId().Match(tag) is { Success: true } m ? m.Groups["id"].Value : null;
            var wrapped = tag.Contains("type=\"radio\"", StringComparison.Ordinal) || tag.Contains("type=\"checkbox\"", StringComparison.Ordinal);
            Assert.True(wrapped || tag.Contains("aria-label=", StringComparison.Ordinal) || (id is not null && labelled.Contains(id)),
                $"{tag} has no label");
        }
    }

    /// <summary>The console's modules, from app.js through every relative import, each checked to be served as JavaScript.</summary>
    private static async Task<List<string>> ModulesAsync(HttpClient client)
    {
        var found = new List<string> { "/ui/app.js" };
        for (var i = 0; i < found.Count; i++)
        {
            var response = await client.GetAsync(found[i]);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{found[i]}: {(int)response.StatusCode}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            foreach (Match import in Import().Matches(await response.Content.ReadAsStringAsync()))
            {
                var path = $"/ui/{import.Groups["file"].Value}";
                if (!found.Contains(path))
                {
                    found.Add(path);
                }
            }
        }

        return found;
    }

    [GeneratedRegex("""^import [^;]+ from "\./(?<file>[a-z-]+\.js)";""", RegexOptions.Multiline)]
    private static partial Regex Import();

    [GeneratedRegex(@"https?://", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Reference();

    [GeneratedRegex("""<label for="(?<id>[^"]+)">""")]
    private static partial Regex LabelFor();

    [GeneratedRegex("""<(?:input|select|textarea)\b[^>]*>""")]
    private static partial Regex Input();

    [GeneratedRegex("""\bid="(?<id>[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex InputId();
}
