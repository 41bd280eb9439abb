using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ipam.Api.Hosting;

/// <summary>
/// The largest request body the service reads. Kestrel enforces it for bodies with a length; bodies of unknown
/// length are counted here. Every breach is a <c>payload-too-large</c> problem (see <see cref="Problems.IpamExceptionHandler"/>).
/// </summary>
internal static class RequestBodyLimit
{
    public const long MaxBytes = 1024 * 1024;

    /// <summary>
    /// The limit for this request: <see cref="MaxBytes"/>, unless its endpoint allows more (the import of a whole
    /// address plan). Kept with the request, because the exception handler runs without the endpoint.
    /// </summary>
    public static long For(HttpContext context)
    {
        if (context.Items[typeof(RequestBodyLimit)] is long known)
        {
            return known;
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBytes;
        context.Items[typeof(RequestBodyLimit)] = limit;
        return limit;
    }

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;

        // Kestrel enforces MaxBytes for every request; an endpoint that allows more tells it so for this request only.
        var limit = For(context);
        if (limit != MaxBytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } endpointLimit)
        {
            endpointLimit.MaxRequestBodySize = limit;
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge($"The request body is {request.ContentLength} bytes.");
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            await BufferAsync(context, limit);
        }

        await next(context);
    });

    /// <summary>
    /// Reads a body of unknown length (chunked) before the endpoint, counting its bytes: the endpoint's JSON reader
    /// would take Kestrel's limit error for a broken connection and answer 413 with no problem document, and
    /// Kestrel counts the chunk framing too.
    /// </summary>
    private static async Task BufferAsync(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = null;
        }

        var request = context.Request;
        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw TooLarge($"The request body is over {limit} bytes.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        request.Body.Position = 0;
    }

    private static BadHttpRequestException TooLarge(string message) => new(message, StatusCodes.Status413PayloadTooLarge);
}
