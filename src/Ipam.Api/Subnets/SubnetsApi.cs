using Ipam.Subnets;

namespace Ipam.Api.Subnets;

public static class SubnetsApi
{
    public static IEndpointRouteBuilder MapSubnets(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/subnets").WithTags("Subnets");
        group.MapPost("/", CreateSubnet).WithName(nameof(CreateSubnet)).WithSummary("Create a subnet from a CIDR, or allocate its prefix from a subnet pool.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListSubnets).WithName(nameof(ListSubnets)).WithSummary("List subnets, with usage.");
        group.MapGet("/{id}", GetSubnet).WithName(nameof(GetSubnet)).WithSummary("Show a subnet and its usage.");
        group.MapPatch("/{id}", UpdateSubnet).WithName(nameof(UpdateSubnet)).WithSummary("Change name, gateway or allocation pools.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteSubnet).WithName(nameof(DeleteSubnet)).WithSummary("Delete a subnet (force=true releases its allocations).").ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Created<SubnetDto>> CreateSubnet(CreateSubnetBody body, SubnetService subnets, CancellationToken cancellationToken)
    {
        var view = await subnets.CreateAsync(body.ToCommand(), cancellationToken);
        return TypedResults.Created($"/v1/subnets/{view.Subnet.Id}", view.ToDto());
    }

    public static async Task<Ok<ItemsPage<SubnetDto>>> ListSubnets(
        SubnetService subnets, CancellationToken cancellationToken,
        string? subnet_pool_id = null, string? tenant_id = null, int? ip_version = null, int? limit = null, string? cursor = null)
    {
        var filters = new SubnetQuery
        {
            SubnetPoolId = subnet_pool_id is null ? null : Input.Id("subnet_pool_id", subnet_pool_id),
            TenantId = Input.TenantId("tenant_id", tenant_id),
            IpVersion = Input.Version("ip_version", ip_version),
        };
        return await Paging.ListAsync(filters, cursor, limit, subnets.ListAsync, v => v.ToDto(), v => v.Subnet.Id, cancellationToken);
    }

    public static async Task<Ok<SubnetDto>> GetSubnet(string id, SubnetService subnets, CancellationToken cancellationToken) =>
        TypedResults.Ok((await subnets.GetAsync(SubnetId(id), cancellationToken)).ToDto());

    public static async Task<Ok<SubnetDto>> UpdateSubnet(string id, UpdateSubnetBody body, SubnetService subnets, CancellationToken cancellationToken) =>
        TypedResults.Ok((await subnets.UpdateAsync(SubnetId(id), body.ToCommand(), cancellationToken)).ToDto());

    public static async Task<NoContent> DeleteSubnet(string id, SubnetService subnets, CancellationToken cancellationToken, bool force = false)
    {
        await subnets.DeleteAsync(SubnetId(id), force, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The subnet id from the path; a value that is not a UUID is an invalid request.</summary>
    internal static Guid SubnetId(string id) =>
        Guid.TryParseExact(id, "D", out var parsed)
            ? parsed
            : throw ValidationException.InvalidRequest("id", $"'{id}' is not a subnet id (a UUID).");
}
