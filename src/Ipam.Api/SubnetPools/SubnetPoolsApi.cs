using Ipam.SubnetPools;

namespace Ipam.Api.SubnetPools;

public static class SubnetPoolsApi
{
    public static IEndpointRouteBuilder MapSubnetPools(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/subnet-pools").WithTags("Subnet pools");
        group.MapPost("/", CreateSubnetPool).WithName(nameof(CreateSubnetPool)).WithSummary("Create a subnet pool from prefixes of one IP version.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListSubnetPools).WithName(nameof(ListSubnetPools)).WithSummary("List subnet pools.");
        group.MapGet("/{id}", GetSubnetPool).WithName(nameof(GetSubnetPool)).WithSummary("Show a subnet pool.");
        group.MapPatch("/{id}", UpdateSubnetPool).WithName(nameof(UpdateSubnetPool))
            .WithSummary("Change name, prefixes (never removing ones in use), prefix lengths, quota or address scope.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteSubnetPool).WithName(nameof(DeleteSubnetPool)).WithSummary("Delete a subnet pool no subnet was allocated from.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}/available-prefixes", GetAvailablePrefixes).WithName(nameof(GetAvailablePrefixes))
            .WithSummary("The pool's free space as the minimal list of CIDRs, ascending; with limit (and cursor) a page of it, next being the cursor of the following page.");
        return routes;
    }

    public static async Task<Created<SubnetPoolDto>> CreateSubnetPool(
        CreateSubnetPoolBody body, SubnetPoolService pools, CancellationToken cancellationToken)
    {
        var pool = await pools.CreateAsync(body.ToCommand(), cancellationToken);
        return TypedResults.Created($"/v1/subnet-pools/{pool.Id}", pool.ToDto());
    }

    public static async Task<Ok<ItemsPage<SubnetPoolDto>>> ListSubnetPools(
        SubnetPoolService pools, CancellationToken cancellationToken,
        string? address_scope_id = null, string? tenant_id = null, int? ip_version = null, int? limit = null, string? cursor = null)
    {
        var filters = new SubnetPoolQuery
        {
            AddressScopeId = address_scope_id is null ? null : Input.Id("address_scope_id", address_scope_id),
            TenantId = Input.TenantId("tenant_id", tenant_id),
            IpVersion = Input.Version("ip_version", ip_version),
        };
        return await Paging.ListAsync(filters, cursor, limit, pools.ListAsync, p => p.ToDto(), p => p.Id, cancellationToken);
    }

    public static async Task<Ok<SubnetPoolDto>> GetSubnetPool(string id, SubnetPoolService pools, CancellationToken cancellationToken) =>
        TypedResults.Ok((await pools.GetAsync(Input.Id("id", id), cancellationToken)).ToDto());

    public static async Task<Ok<SubnetPoolDto>> UpdateSubnetPool(
        string id, UpdateSubnetPoolBody body, SubnetPoolService pools, CancellationToken cancellationToken) =>
        TypedResults.Ok((await pools.UpdateAsync(Input.Id("id", id), body.ToCommand(), cancellationToken)).ToDto());

    public static async Task<NoContent> DeleteSubnetPool(string id, SubnetPoolService pools, CancellationToken cancellationToken)
    {
        await pools.DeleteAsync(Input.Id("id", id), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<AvailablePrefixesDto>> GetAvailablePrefixes(
        string id, SubnetPoolService pools, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        var poolId = Input.Id("id", id);
        if (limit is null && cursor is null)
        {
            // The whole free space, as the contract has it; a caller that wants it bounded asks with limit.
            var whole = await pools.AvailablePrefixesAsync(poolId, after: null, int.MaxValue, cancellationToken);
            return TypedResults.Ok(new AvailablePrefixesDto([.. whole.Select(p => p.ToString())], Next: null));
        }

        var after = cursor is null ? (IpAddress?)null : Input.Address("cursor", cursor);
        var fetchLimit = Paging.FetchLimit(limit);
        var prefixes = await pools.AvailablePrefixesAsync(poolId, after, fetchLimit, cancellationToken);
        var page = Paging.Page(prefixes, fetchLimit, p => p.ToString(), p => p.Network.ToString());
        return TypedResults.Ok(new AvailablePrefixesDto(page.Items, page.Next));
    }
}
