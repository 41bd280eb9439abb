using Ipam.Import;

namespace Ipam.Api.Import;

public static class ImportApi
{
    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/import", ImportAddressPlan)
            .WithName(nameof(ImportAddressPlan))
            .WithTags("Import")
            .WithSummary("Load an address plan written by 'ipam export', all or nothing.")
            .RequireAuthorization(BearerToken.AdminPolicy)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new ImportBodyLimit())
            .WithRequestTimeout(RequestDeadline.WholeDatabase);
        return routes;
    }

    public static async Task<Ok<ImportCounts>> ImportAddressPlan(ImportDocument body, ImportService imports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await imports.ImportAsync(body, cancellationToken));
}
