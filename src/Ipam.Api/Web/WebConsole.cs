using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Ipam.Api.Web;

/// <summary>
/// The operator console: one HTML page, its ES modules and a style sheet, embedded in the assembly and served by
/// the service itself (no CDN, no build step). The page talks to the public <c>/v1</c> API only.
/// </summary>
public static class WebConsole
{
    /// <summary>Only the console's own files may run or load; the API is on the same origin.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "Ipam.Api.Web.";
    private const string PageName = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every embedded file of the console by name (index.html, app.js and the modules it imports, style.css).</summary>
    private static readonly FrozenDictionary<string, Asset> Assets = typeof(WebConsole).Assembly.GetManifestResourceNames()
        .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(resource => resource[ResourcePrefix.Length..])
        .ToFrozenDictionary(name => name, name => Asset.Load(name, ContentTypes[Path.GetExtension(name)]), StringComparer.Ordinal);

    /// <summary>
    /// Serves the console at <c>/</c> (and redirects <c>/ui</c> there), its other files under <c>/ui/</c>; HEAD as GET, as
    /// every endpoint (<see cref="HeadRequests"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/", (HttpContext context) => Assets[PageName].Serve(context)).ExcludeFromDescription();
        routes.MapGet("/ui", (HttpContext context) => Results.Redirect($"{context.Request.PathBase}/")).ExcludeFromDescription();

        // One route per file, so that any other path under /ui/ is an ordinary 404.
        foreach (var (name, asset) in Assets.Where(a => a.Key != PageName))
        {
            routes.MapGet($"/ui/{name}", (HttpContext context) => asset.Serve(context)).ExcludeFromDescription();
        }

        return routes;
    }

    private sealed class Asset(byte[] content, string contentType, EntityTagHeaderValue entityTag)
    {
        public static Asset Load(string name, string contentType)
        {
            var resource = ResourcePrefix + name;
            using var stream = typeof(WebConsole).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The console asset {resource} is not embedded in the assembly.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            return new Asset(content, contentType, new EntityTagHeaderValue($"\"{hash}\""));
        }

        /// <summary>The asset with an ETag; browsers revalidate each time (304 when unchanged), so a new build shows at once.</summary>
        public IResult Serve(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(content, contentType, entityTag: entityTag);
        }
    }
}
