using System.Text.Json.Serialization.Metadata;

namespace Ipam.Api.Problems;

/// <summary>
/// Whether the JSON path of a deserialization error ends in a property that the body type has no member for:
/// the path is walked through the type's JSON contract, so the answer does not depend on the error's wording.
/// </summary>
internal static class UnknownJsonMember
{
    /// <summary>True when <paramref name="path"/> (such as <c>$.allocation_pools[0].step</c>) ends in no member of <paramref name="bodyType"/>.</summary>
    public static bool IsUnknown(Type bodyType, string path, JsonSerializerOptions options)
    {
        var segments = Segments(path);
        var type = bodyType;
        for (var i = 0; i < segments.Count; i++)
        {
            var info = options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            if (segments[i] is not { } name)
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null)
                {
                    return false;
                }

                type = info.ElementType;
                continue;
            }

            if (info.Kind != JsonTypeInfoKind.Object)
            {
                return false;
            }

            var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
            if (property is null)
            {
                return i == segments.Count - 1;
            }

            type = property.PropertyType;
        }

        return false;
    }

    /// <summary>The path's steps: a property name, or null for an array index.</summary>
    private static List<string?> Segments(string path)
    {
        var segments = new List<string?>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = Math.Min(end + 2, path.Length);
            }
            else
            {
                var end = path.IndexOf(']', i);
                segments.Add(null);
                i = end < 0 ? path.Length : end + 1;
            }
        }

        return segments;
    }
}
