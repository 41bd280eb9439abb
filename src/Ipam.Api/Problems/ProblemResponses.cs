using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Ipam.Api.Problems;

/// <summary>
/// Describes the problem documents in the OpenAPI document: the members every problem has, and on each <c>/v1</c>
/// operation the statuses that follow from its shape (400 for input, 401 and 403 for callers, 404 for an id in the
/// path, 413 for a body, 429 and 503 for all). What only an endpoint knows (409, 422, a 404 for an id in the body) it
/// declares itself with <c>ProducesProblem</c>.
/// </summary>
internal static class ProblemResponses
{
    private const string ContentType = "application/problem+json";

    private const string SchemaId = nameof(ProblemDetails);

    public static OpenApiOptions DescribeProblems(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
            {
                Describe(schema);
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var statuses = StatusesOf(operation, context.Description);
            if (statuses.Count == 0)
            {
                return;
            }

            var schema = await context.ReferenceAsync(typeof(ProblemDetails), SchemaId, cancellationToken);
            operation.Responses ??= [];
            foreach (var status in statuses)
            {
                operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = ReasonPhrases.GetReasonPhrase(status),
                    Content = new Dictionary<string, OpenApiMediaType> { [ContentType] = new() { Schema = schema } },
                });
            }
        });
        return options;
    }

    private static List<int> StatusesOf(OpenApiOperation operation, ApiDescription description)
    {
        var path = description.RelativePath ?? "";
        if (!path.TrimStart('/').StartsWith("v1/", StringComparison.Ordinal))
        {
            return [];
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var statuses = new List<int>();
        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            statuses.Add(StatusCodes.Status401Unauthorized);

            // A reader's change, a non-admin on an admin's endpoint, a member naming another tenant, a change a web
            // page of another origin sent (cross-origin-refused).
            if (!HttpMethods.IsGet(description.HttpMethod ?? HttpMethods.Get) ||
                metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null) ||
                operation.Parameters?.Any(p => p.Name == "tenant_id") == true)
            {
                statuses.Add(StatusCodes.Status403Forbidden);
            }
        }

        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (operation.RequestBody is not null)
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
        }

        statuses.Add(StatusCodes.Status429TooManyRequests);
        statuses.Add(StatusCodes.Status503ServiceUnavailable);
        return statuses;
    }

    private static void Describe(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable, machine-readable error code; the codes and their context members are listed in docs/api.md.",
        };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Invalid requests: the messages for each field.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        schema.Properties["trace_id"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request's W3C trace id, as the server's log names it.",
        };
        schema.Required ??= new HashSet<string>();
        schema.Required.UnionWith(["type", "title", "status", "detail", "code", "trace_id"]);

        // Each code adds its context members.
        schema.AdditionalProperties = null;
        schema.AdditionalPropertiesAllowed = true;
    }
}
