using Ipam.Maps;

namespace Ipam.Api.Subnets;

/// <summary>The address map of a subnet, for the console's map view and for tools.</summary>
public static class SubnetMapApi
{
    public static IEndpointRouteBuilder MapSubnetMap(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/subnets/{id}/map", GetSubnetMap).WithTags("Subnets").WithName(nameof(GetSubnetMap))
            .WithSummary("The subnet, or a CIDR inside it, as at most `blocks` aligned blocks with their counts; 256 addresses or fewer as one cell per address.");
        return routes;
    }

    public static async Task<Ok<SubnetMapDto>> GetSubnetMap(
        string id, AddressMapService maps, CancellationToken cancellationToken, string? within = null, int? blocks = null)
    {
        var query = new AddressMapQuery
        {
            SubnetId = SubnetsApi.SubnetId(id),
            Within = within is null ? null : Input.Cidr("within", within),
            Blocks = blocks ?? AddressMapQuery.DefaultBlocks,
        };
        return TypedResults.Ok((await maps.GetAsync(query, cancellationToken)).ToDto());
    }
}
