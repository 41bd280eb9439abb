using Microsoft.AspNetCore.OpenApi;

namespace Ipam.Api.Hosting;

/// <summary>
/// A body member kept as a <see cref="JsonElement"/> tells <c>null</c> (clear it) from absent (leave it), so it is never
/// required, although its constructor parameter, having no default a JsonElement could show, reads as required.
/// </summary>
internal static class OptionalBodyMembers
{
    public static OpenApiOptions LeaveJsonElementsOptional(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (schema.Required is { Count: > 0 } required)
            {
                foreach (var property in context.JsonTypeInfo.Properties.Where(p => p.PropertyType == typeof(JsonElement)))
                {
                    required.Remove(property.Name);
                }
            }

            return Task.CompletedTask;
        });
        return options;
    }
}
