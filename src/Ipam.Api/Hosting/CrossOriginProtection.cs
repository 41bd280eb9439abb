using Ipam.Api.Problems;

namespace Ipam.Api.Hosting;

/// <summary>
/// Refuses a change that a web page of another origin makes a browser send (cross-site request forgery): without
/// authentication (the default on loopback) such a request would act as the anonymous admin, and a page may send a
/// POST without a body or a preflight (<c>fetch(url, {method: "POST", mode: "no-cors"})</c>), which an allocation
/// reads as <c>{}</c>. A request with any method but GET, HEAD, OPTIONS and TRACE is refused when its
/// <c>Sec-Fetch-Site</c> header is neither <c>same-origin</c> nor <c>none</c> (a browser sets it, and no page can),
/// or, from a browser that does not send that header, when its <c>Origin</c> is not the request's own
/// scheme://host:port (<c>Origin: null</c> included). Clients that are not browsers send neither header and pass, and
/// so does the console, which the server serves from its own origin.
/// </summary>
/// <remarks>
/// ASP.NET Core 10 has no such check of its own (one based on the same headers arrives with .NET 11). This one
/// follows Go's <c>net/http.CrossOriginProtection</c>, with no trusted origins: the service answers no CORS preflight,
/// so a page of another origin has no legitimate use for changing anything.
/// </remarks>
internal static class CrossOriginProtection
{
    public const string RefusedCode = "cross-origin-refused";

    /// <summary>The Fetch Metadata header naming the relation of the page that made the request to its target.</summary>
    private const string SecFetchSite = "Sec-Fetch-Site";

    public static IApplicationBuilder UseCrossOriginProtection(this IApplicationBuilder app)
    {
        var problems = app.ApplicationServices.GetRequiredService<IProblemDetailsService>();
        return app.Use((context, next) => RefusalOf(context.Request) is { } refusal ? RefuseAsync(context, problems, refusal) : next(context));
    }

    /// <summary>Why <paramref name="request"/> is refused (as the problem's detail), or null when it may go on.</summary>
    internal static string? RefusalOf(HttpRequest request)
    {
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return null;
        }

        var headers = request.Headers;
        if (headers.TryGetValue(SecFetchSite, out var site))
        {
            return site.ToString() is "same-origin" or "none"
                ? null
                : $"A browser sent this {method} for a web page of another origin (Sec-Fetch-Site: {site}); " +
                  "only pages this server serves (the console) may change anything through a browser.";
        }

        if (!headers.TryGetValue(HeaderNames.Origin, out var origin))
        {
            return null;
        }

        return origin.Count == 1 && IsOwnOrigin(origin.ToString(), request)
            ? null
            : $"A browser sent this {method} for a web page of another origin (Origin: {origin}, not {request.Scheme}://{request.Host}); " +
              "only pages this server serves (the console) may change anything through a browser.";
    }

    /// <summary>Whether <paramref name="origin"/> is scheme://host[:port] and names the same scheme, host and port as the request.</summary>
    private static bool IsOwnOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || parsed.PathAndQuery != "/" || parsed.UserInfo.Length > 0 ||
            parsed.Fragment.Length > 0 || origin.EndsWith('/'))
        {
            return false;
        }

        var host = request.Host;
        var ownPort = host.Port ?? (string.Equals(request.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        return string.Equals(parsed.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(parsed.Host, host.Host, StringComparison.OrdinalIgnoreCase) &&
            parsed.Port == ownPort;
    }

    private static Task RefuseAsync(HttpContext context, IProblemDetailsService problems, string detail) =>
        problems.WriteAsync(context, CodedProblems.Of(StatusCodes.Status403Forbidden, RefusedCode, "Cross-origin request refused.", detail));
}
