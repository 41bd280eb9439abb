using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ipam.Api.Problems;

/// <summary>
/// The route or query value that ASP.NET could not convert to its handler parameter's type, found from the
/// endpoint's handler method and the request itself rather than from the wording of the framework's error.
/// </summary>
internal static class UnparsableParameter
{
    private static readonly MethodInfo ParsesMethod = typeof(UnparsableParameter).GetMethod(nameof(Parses), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The first parameter (its name in the handler, and the value sent) that does not parse, if any.</summary>
    public static (string Name, string Value)? Find(Endpoint? endpoint, RouteValueDictionary? routeValues, IQueryCollection query)
    {
        if (endpoint?.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return null;
        }

        foreach (var parameter in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (parameter.Name is { } name && IsParsable(type) && Sent(routeValues ?? [], query, parameter, name) is { } value &&
                !(bool)ParsesMethod.MakeGenericMethod(type).Invoke(null, [value])!)
            {
                return (name, value);
            }
        }

        return null;
    }

    private static string? Sent(RouteValueDictionary routeValues, IQueryCollection query, ParameterInfo parameter, string name)
    {
        var attributes = parameter.GetCustomAttributes(inherit: false);
        if (attributes.OfType<IFromRouteMetadata>().FirstOrDefault() is { } fromRoute)
        {
            return routeValues[fromRoute.Name ?? name]?.ToString();
        }

        if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
        {
            return query.TryGetValue(fromQuery.Name ?? name, out var values) ? values.ToString() : null;
        }

        if (attributes.Any(a => a is IFromHeaderMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromFormMetadata))
        {
            return null;
        }

        // Without an attribute, a simple parameter binds from the route when the pattern names it, else from the query.
        if (routeValues.TryGetValue(name, out var routeValue))
        {
            return routeValue?.ToString();
        }

        return query.TryGetValue(name, out var queryValue) ? queryValue.ToString() : null;
    }

    private static bool IsParsable(Type type) =>
        type != typeof(string) &&
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GetGenericArguments()[0] == type);

    private static bool Parses<T>(string value)
        where T : IParsable<T> => T.TryParse(value, CultureInfo.InvariantCulture, out _);
}
