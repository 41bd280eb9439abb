namespace Ipam.Api.Hosting;

/// <summary>The headers every response carries, errors and refused requests included.</summary>
internal static class SecurityHeaders
{
    /// <summary>API answers are data: nothing in them may run, load or be framed.</summary>
    public const string DefaultContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The interactive API reference runs its own inline script and styles; it may still not be framed.</summary>
    public const string ApiReferenceContentSecurityPolicy = "frame-ancestors 'none'";

    public const string ApiReferencePath = "/docs";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";

            // Pages that set their own policy (the console) keep it.
            if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReferencePath)
                    ? ApiReferenceContentSecurityPolicy
                    : DefaultContentSecurityPolicy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
