using Ipam.Api.Problems;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ipam.Api.Hosting;

/// <summary>
/// The longest request line and the largest header section the service reads (Kestrel's defaults), enforced here so
/// that a breach is a problem document: 414 <c>uri-too-long</c>, 431 <c>headers-too-large</c>. Kestrel refuses a
/// request over its own limits before any middleware runs, with an empty body; its limits are therefore set
/// <see cref="KestrelHeadroom"/> times higher, and only a request head that far over these limits still gets
/// Kestrel's bare answer.
/// </summary>
internal static class RequestHeadLimits
{
    /// <summary>The request line (<c>GET /v1/subnets?… HTTP/1.1</c> and its line end), in bytes.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Every header line with its line end, in bytes.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;

    public const string UriTooLongCode = "uri-too-long";

    public const string HeadersTooLargeCode = "headers-too-large";

    private const int KestrelHeadroom = 4;

    public static void RaiseKestrelLimits(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = MaxRequestLineBytes * KestrelHeadroom;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * KestrelHeadroom;
        limits.MaxRequestHeaderCount = MaxHeaderCount * KestrelHeadroom;
    }

    public static IApplicationBuilder UseRequestHeadLimits(this IApplicationBuilder app)
    {
        var problems = app.ApplicationServices.GetRequiredService<IProblemDetailsService>();
        return app.Use((context, next) => Breach(context) is { } problem ? problems.WriteAsync(context, problem) : next(context));
    }

    private static ProblemDetails? Breach(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.GetEncodedPathAndQuery();
        var lineBytes = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length + 2;
        if (lineBytes > MaxRequestLineBytes)
        {
            return Problem(StatusCodes.Status414UriTooLong, "URI Too Long", UriTooLongCode,
                $"The request line is {lineBytes} bytes; at most {MaxRequestLineBytes} are read. Shorten the path or the query.", "limit_bytes", MaxRequestLineBytes);
        }

        var (lines, headerBytes) = (0, 0);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                lines++;
                headerBytes += name.Length + 2 + (value?.Length ?? 0) + 2;
            }
        }

        if (lines > MaxHeaderCount)
        {
            return Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request Header Fields Too Large", HeadersTooLargeCode,
                $"The request has {lines} header lines; at most {MaxHeaderCount} are read.", "limit_headers", MaxHeaderCount);
        }

        return headerBytes > MaxHeaderBytes
            ? Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request Header Fields Too Large", HeadersTooLargeCode,
                $"The request headers are {headerBytes} bytes; at most {MaxHeaderBytes} are read.", "limit_bytes", MaxHeaderBytes)
            : null;
    }

    private static ProblemDetails Problem(int status, string title, string code, string detail, string limitName, int limit)
    {
        var problem = CodedProblems.Of(status, code, title, detail);
        problem.Extensions[limitName] = limit;
        return problem;
    }
}
