using Microsoft.AspNetCore.OpenApi;

namespace Ipam.Api.Hosting;

/// <summary>
/// HEAD wherever GET (RFC 9110, section 9.3.2): every endpoint that answers GET answers HEAD too, through the same
/// handler, so with the same status and headers and the same authentication, authorization and rate limit. Kestrel
/// sends no body for a HEAD request, whatever the handler writes. The OpenAPI document lists the GET only.
/// </summary>
internal static class HeadRequests
{
    /// <summary>Adds HEAD to the methods of every endpoint of <paramref name="routes"/> that answers GET.</summary>
    /// <remarks>
    /// A "finally" convention, so that it sees each endpoint's methods as its mapping left them, whatever the
    /// order the other conventions were added in; the matcher and the API explorer read the last method metadata.
    /// </remarks>
    public static TBuilder AnswerHeadAsGet<TBuilder>(this TBuilder routes) where TBuilder : IEndpointConventionBuilder
    {
        routes.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods &&
                methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) &&
                !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return routes;
    }

    /// <summary>Leaves HEAD out of the OpenAPI document: every GET operation implies it, as HTTP does.</summary>
    public static OpenApiOptions DescribeGetOnly(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var path in document.Paths.Values)
            {
                path.Operations?.Remove(HttpMethod.Head);
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
