using Ipam.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Hosting;

/// <summary>
/// Refuses a request whose body was sent compressed (<c>Content-Encoding: gzip</c>, <c>br</c>, …) with a 415 naming
/// the encoding (its code, <c>unsupported-media-type</c>, is the one every 415 gets in <see cref="IpamHost"/>): bodies are read as they arrive, and a compressed one would
/// otherwise be answered as JSON that is not valid, which sends its client looking for the wrong mistake.
/// </summary>
internal static class UncompressedBodies
{
    public static IApplicationBuilder UseUncompressedBodies(this IApplicationBuilder app)
    {
        var problems = app.ApplicationServices.GetRequiredService<IProblemDetailsService>();
        return app.Use((context, next) => Encoded(context.Request) is { } encoding ? RefuseAsync(context, problems, encoding) : next(context));
    }

    /// <summary>The content coding of the request's body, unless it has no body, no coding or <c>identity</c>.</summary>
    internal static string? Encoded(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return null;
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        return encoding.Length == 0 || string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase) ? null : encoding;
    }

    private static Task RefuseAsync(HttpContext context, IProblemDetailsService problems, string encoding)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "Unsupported Media Type",
            Detail = $"Send the body uncompressed: Content-Encoding '{encoding}' is not accepted.",
        };
        context.Response.Headers.AcceptEncoding = "identity";
        return problems.WriteAsync(context, problem);
    }
}
