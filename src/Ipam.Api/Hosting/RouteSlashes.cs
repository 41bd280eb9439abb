namespace Ipam.Api.Hosting;

/// <summary>
/// Hands handlers route values decoded in full. Kestrel decodes a request path except its encoded slashes (<c>%2F</c>),
/// which it leaves encoded so that they cannot split a segment; no route value of the API can hold a slash, so one
/// that has it is refused by its parse, and the refusal then quotes it decoded as the rest of the path is
/// (<c>'10.0.0.2/32'</c>, not <c>'10.0.0.2%2F32'</c>).
/// </summary>
internal static class RouteSlashes
{
    private const string EncodedSlash = "%2F";

    public static IApplicationBuilder UseDecodedRouteSlashes(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var values = context.Request.RouteValues;
        List<(string Name, string Text)>? encoded = null;
        foreach (var (name, value) in values)
        {
            if (value is string text && text.Contains(EncodedSlash, StringComparison.OrdinalIgnoreCase))
            {
                (encoded ??= []).Add((name, text));
            }
        }

        foreach (var (name, text) in encoded ?? [])
        {
            values[name] = text.Replace(EncodedSlash, "/", StringComparison.OrdinalIgnoreCase);
        }

        return next(context);
    });
}
