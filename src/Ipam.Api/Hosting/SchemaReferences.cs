using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ipam.Api.Hosting;

/// <summary>References to component schemas from operation transformers, for types no endpoint metadata describes.</summary>
internal static class SchemaReferences
{
    /// <summary>A reference to the schema of <paramref name="type"/> as component <paramref name="id"/>, added the first time.</summary>
    public static async Task<OpenApiSchemaReference> ReferenceAsync(
        this OpenApiOperationTransformerContext context, Type type, string id, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(id, document);
    }
}
