using Ipam.Scopes;

namespace Ipam.Api.Scopes;

public static class AddressScopesApi
{
    public static IEndpointRouteBuilder MapAddressScopes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/address-scopes").WithTags("Address scopes");
        group.MapPost("/", CreateAddressScope).WithName(nameof(CreateAddressScope)).WithSummary("Create an address scope: subnet pools in it may not overlap.");
        group.MapGet("/", ListAddressScopes).WithName(nameof(ListAddressScopes)).WithSummary("List address scopes.");
        group.MapGet("/{id}", GetAddressScope).WithName(nameof(GetAddressScope)).WithSummary("Show an address scope.");
        group.MapDelete("/{id}", DeleteAddressScope).WithName(nameof(DeleteAddressScope)).WithSummary("Delete an address scope no subnet pool references.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Created<AddressScopeDto>> CreateAddressScope(
        CreateAddressScopeBody body, AddressScopeService scopes, CancellationToken cancellationToken)
    {
        var scope = await scopes.CreateAsync(body.ToCommand(), cancellationToken);
        return TypedResults.Created($"/v1/address-scopes/{scope.Id}", scope.ToDto());
    }

    public static async Task<Ok<ItemsPage<AddressScopeDto>>> ListAddressScopes(
        AddressScopeService scopes, CancellationToken cancellationToken,
        string? tenant_id = null, int? ip_version = null, int? limit = null, string? cursor = null)
    {
        var filters = new AddressScopeQuery { TenantId = Input.TenantId("tenant_id", tenant_id), IpVersion = Input.Version("ip_version", ip_version) };
        return await Paging.ListAsync(filters, cursor, limit, scopes.ListAsync, s => s.ToDto(), s => s.Id, cancellationToken);
    }

    public static async Task<Ok<AddressScopeDto>> GetAddressScope(string id, AddressScopeService scopes, CancellationToken cancellationToken) =>
        TypedResults.Ok((await scopes.GetAsync(Input.Id("id", id), cancellationToken)).ToDto());

    public static async Task<NoContent> DeleteAddressScope(string id, AddressScopeService scopes, CancellationToken cancellationToken)
    {
        await scopes.DeleteAsync(Input.Id("id", id), cancellationToken);
        return TypedResults.NoContent();
    }
}
