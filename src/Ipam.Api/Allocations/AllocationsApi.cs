using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Api.Observability;
using Ipam.Api.Subnets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Ipam.Api.Allocations;

public static class AllocationsApi
{
    public static IEndpointRouteBuilder MapAllocations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/subnets/{id}/allocations").WithTags("Allocations");
        group.MapPost("/", Allocate).WithName(nameof(Allocate))
            .WithSummary($"Allocate an address: {AllocationStrategies.Random} (default), {AllocationStrategies.Next}, a specific ip_address, EUI-64 from mac_address, or count addresses at once.")
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // One allocation, or with count their list: both 201, of which the result types leave the document one.
                if (operation.Responses?.TryGetValue("201", out var created) == true && created is OpenApiResponse response)
                {
                    response.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchema
                            {
                                OneOf =
                                [
                                    await context.ReferenceAsync(typeof(AllocationDto), nameof(AllocationDto), cancellationToken),
                                    await context.ReferenceAsync(typeof(ItemsList<AllocationDto>), "ItemsListOfAllocationDto", cancellationToken),
                                ],
                            },
                        },
                    };
                }
            })
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAllocations).WithName(nameof(ListAllocations)).WithSummary("List allocations, ordered by address.");
        group.MapGet("/{ip}", GetAllocation).WithName(nameof(GetAllocation)).WithSummary("Show one allocation.");
        group.MapPatch("/{ip}", UpdateAllocation).WithName(nameof(UpdateAllocation))
            .WithSummary("Change an allocation's description or reservation end (expires_at: a later time renews it, null keeps it until released).");
        group.MapDelete("/{ip}", Release).WithName(nameof(Release)).WithSummary("Release an allocated address; with an Idempotency-Key, a retry answers as the first release did.");
        return routes;
    }

    public static async Task<Results<Created<AllocationDto>, Created<ItemsList<AllocationDto>>>> Allocate(
        string id, AllocateBody? body, AllocationService allocations, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey = null)
    {
        var subnetId = SubnetsApi.SubnetId(id);
        idempotencyKey = IdempotencyKeyHeader.Checked(context, idempotencyKey);

        body ??= new AllocateBody();
        var request = body.ToRequest();
        var (result, replayed) = await allocations.AllocateOrReplayAsync(subnetId, request, idempotencyKey, cancellationToken);
        if (replayed)
        {
            AllocationMetrics.NoteReplay(context);
        }

        if (body.Count is not null)
        {
            return TypedResults.Created($"/v1/subnets/{subnetId}/allocations", new ItemsList<AllocationDto>([.. result.Select(a => a.ToDto())]));
        }

        var single = result[0];
        return TypedResults.Created($"/v1/subnets/{subnetId}/allocations/{single.Address}", single.ToDto());
    }

    public static async Task<Ok<ItemsPage<AllocationDto>>> ListAllocations(
        string id, AllocationService allocations, CancellationToken cancellationToken,
        string? owner = null, int? limit = null, string? cursor = null)
    {
        var query = new AllocationQuery
        {
            SubnetId = SubnetsApi.SubnetId(id),
            Owner = Input.Text("owner", owner),
            After = cursor is null ? null : Input.Address("cursor", cursor),
            Limit = Paging.FetchLimit(limit),
        };

        var page = await allocations.ListAsync(query, cancellationToken);
        return TypedResults.Ok(Paging.Page(page, query.Limit, a => a.ToDto(), a => a.Address.ToString()));
    }

    public static async Task<Ok<AllocationDto>> GetAllocation(string id, string ip, AllocationService allocations, CancellationToken cancellationToken) =>
        TypedResults.Ok((await allocations.GetAsync(SubnetsApi.SubnetId(id), Input.Address("ip", ip), cancellationToken)).ToDto());

    public static async Task<Ok<AllocationDto>> UpdateAllocation(
        string id, string ip, UpdateAllocationBody body, AllocationService allocations, CancellationToken cancellationToken)
    {
        var subnetId = SubnetsApi.SubnetId(id);
        var address = Input.Address("ip", ip);
        var updated = await allocations.UpdateAsync(subnetId, address, body.ToUpdate(), cancellationToken);
        return TypedResults.Ok(updated.ToDto());
    }

    public static async Task<NoContent> Release(
        string id, string ip, AllocationService allocations, HttpContext context, CancellationToken cancellationToken,
        [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey = null)
    {
        var subnetId = SubnetsApi.SubnetId(id);
        var address = Input.Address("ip", ip);
        await allocations.ReleaseOrReplayAsync(subnetId, address, IdempotencyKeyHeader.Checked(context, idempotencyKey), cancellationToken);
        return TypedResults.NoContent();
    }
}
