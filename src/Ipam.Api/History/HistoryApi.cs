using Ipam.Api.Allocations;
using Ipam.Api.Events;
using Ipam.Api.Subnets;
using Ipam.History;

namespace Ipam.Api.History;

/// <summary>History: one address's allocations in a subnet, who held an address across subnets, an owner's allocations.</summary>
public static class HistoryApi
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/subnets/{id}/allocations/{ip}/history", GetAllocationHistory).WithTags("History").WithName(nameof(GetAllocationHistory))
            .WithSummary("The allocations of an address in a subnet, newest first: the current one (if any), then every one that ended.");
        routes.MapGet("/v1/addresses/{ip}", GetAddressHolders).WithTags("History").WithName(nameof(GetAddressHolders))
            .WithSummary("Who held an address at a time (default: now) in every subnet that contains it, deleted subnets included.");
        routes.MapGet("/v1/allocations", ListOwnerAllocations).WithTags("Allocations").WithName(nameof(ListOwnerAllocations))
            .WithSummary("One owner's allocations across subnets, by subnet id and address.");
        return routes;
    }

    public static async Task<Ok<ItemsPage<AllocationHistoryDto>>> GetAllocationHistory(
        string id, string ip, HistoryService history, EventCursorKeys cursorKeys, ICallerContext caller, CancellationToken cancellationToken,
        int? limit = null, string? cursor = null)
    {
        var cursors = await cursorKeys.ForAsync(caller, cancellationToken);
        var query = new AddressHistoryQuery
        {
            SubnetId = SubnetsApi.SubnetId(id),
            Address = Input.Address("ip", ip),
            After = cursors.Sequence(cursor),
            Limit = Paging.FetchLimit(limit),
        };
        var periods = await history.GetAddressHistoryAsync(query, cancellationToken);
        return TypedResults.Ok(Paging.Page(periods, query.Limit, p => p.ToHistoryDto(), cursors.Cursor));
    }

    public static async Task<Ok<ItemsPage<AddressHolderDto>>> GetAddressHolders(
        string ip, HistoryService history, EventCursorKeys cursorKeys, ICallerContext caller, CancellationToken cancellationToken,
        string? at = null, int? limit = null, string? cursor = null)
    {
        var address = Input.Address("ip", ip);
        var time = HistoryMapping.Time("at", at);
        var cursors = await cursorKeys.ForAsync(caller, cancellationToken);
        var query = new AddressHoldersQuery { Address = address, At = time, After = cursors.HolderKey(cursor), Limit = Paging.FetchLimit(limit) };
        var holders = await history.GetHoldersAsync(query, cancellationToken);
        return TypedResults.Ok(Paging.Page(holders, query.Limit, p => p.ToHolderDto(), cursors.HolderCursor));
    }

    public static async Task<Ok<ItemsPage<AllocationDto>>> ListOwnerAllocations(
        HistoryService history, CancellationToken cancellationToken, [System.ComponentModel.DataAnnotations.Required] string? owner = null, int? limit = null, string? cursor = null)
    {
        // Checked here rather than by binding, so that a missing owner is an invalid-request problem naming it;
        // [Required] tells the OpenAPI document.
        if (string.IsNullOrEmpty(owner))
        {
            throw ValidationException.InvalidRequest("owner", "owner is required: GET /v1/allocations lists one owner's allocations.");
        }

        var query = new OwnerAllocationQuery { Owner = Input.Text("owner", owner)!, After = HistoryMapping.Key(cursor), Limit = Paging.FetchLimit(limit) };
        var page = await history.ListByOwnerAsync(query, cancellationToken);
        return TypedResults.Ok(Paging.Page(page, query.Limit, a => a.ToDto(), a => HistoryMapping.Cursor(new AllocationKey(a.SubnetId, a.Address))));
    }
}
