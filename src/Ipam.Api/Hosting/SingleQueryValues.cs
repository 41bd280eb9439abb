namespace Ipam.Api.Hosting;

/// <summary>
/// Refuses an API request that gives a query parameter more than once (<c>?tenant_id=a&amp;tenant_id=b</c>), with a
/// 400 <c>invalid-request</c> naming it. No endpoint takes a list from the query, and ASP.NET would otherwise hand a
/// handler's text parameter the values joined by a comma (a tenant <c>'a,b'</c>) and fail a number's parse on them
/// (<c>'1,2'</c>): one check here answers every endpoint, and every parameter, alike.
/// </summary>
internal static class SingleQueryValues
{
    /// <summary>The paths checked: the API, whose handlers bind single values from the query.</summary>
    private static readonly PathString Api = "/v1";

    /// <summary>After authentication and authorization, so that a caller who may not ask learns that first, as for any other bad input.</summary>
    public static IApplicationBuilder UseSingleQueryValues(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(Api, StringComparison.OrdinalIgnoreCase) && Repeated(context.Request.Query) is var (name, count))
        {
            throw ValidationException.InvalidRequest(name, $"{name} may be given once, not {count} times.");
        }

        return next(context);
    });

    /// <summary>
    /// The first parameter given more than once (names compare case-insensitively, as the binding does), if any; a
    /// value without a name (<c>?=x</c>) binds to nothing and is left alone, as before.
    /// </summary>
    internal static (string Name, int Count)? Repeated(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (values.Count > 1 && name.Length > 0)
            {
                return (name, values.Count);
            }
        }

        return null;
    }
}
