using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ipam.Api.Hosting;

/// <summary>
/// A JSON body is an object: <c>null</c> is refused as <c>[]</c> or <c>42</c> are, with a 400 <c>invalid-request</c>
/// naming the body, before the handler changes anything. ASP.NET refuses null for a required body itself (the
/// <see cref="Problems.IpamExceptionHandler"/> words it); an optional body, one a request may leave out, would reach
/// its handler as null, as if no body had been sent, so an endpoint filter refuses it there.
/// </summary>
internal static class JsonObjectBodies
{
    public const string NotAnObject = "The body must be a JSON object.";

    /// <summary>Refuses a JSON <c>null</c> for the optional body of every endpoint of <paramref name="routes"/>.</summary>
    public static TBuilder RefuseNullBodies<TBuilder>(this TBuilder routes) where TBuilder : IEndpointConventionBuilder
    {
        // The filter factory runs once the handler's parameters have been read, so the endpoint's metadata then
        // tells its body apart (the convention itself runs before that).
        routes.Add(endpoint => endpoint.FilterFactories.Add((context, next) => RefuseNull(endpoint.Metadata, context, next)));
        return routes;
    }

    /// <summary>
    /// Whether the request came with a body: one that the binding still read as null was JSON <c>null</c> (an empty
    /// or whitespace-only body is not JSON, and refused as such).
    /// </summary>
    public static bool Sent(HttpContext context) => context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private static EndpointFilterDelegate RefuseNull(IList<object> metadata, EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var body = metadata.OfType<IAcceptsMetadata>().LastOrDefault();
        var bodyIndex = body is { IsOptional: true, RequestType: { } bodyType }
            ? Array.FindIndex(context.MethodInfo.GetParameters(), p => p.ParameterType == bodyType)
            : -1;
        if (bodyIndex < 0)
        {
            return next;
        }

        return invocation => invocation.Arguments[bodyIndex] is null && Sent(invocation.HttpContext)
            ? throw ValidationException.InvalidRequest("body", NotAnObject)
            : next(invocation);
    }
}
