using Ipam.Subnets;

namespace Ipam.Api.Subnets;

/// <summary>The operator's check of the usage counters against the allocation rows (<c>ipam check</c>).</summary>
public static class UsageCheckApi
{
    public static IEndpointRouteBuilder MapUsageCheck(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/usage-check").WithTags("Subnets").RequireAuthorization(BearerToken.AdminPolicy);
        group.WithRequestTimeout(RequestDeadline.WholeDatabase);
        group.MapGet("/", CheckUsage).WithName(nameof(CheckUsage))
            .WithSummary("Compare every subnet's usage counters with a count of its allocations (reads them all).");
        group.MapPost("/repair", RepairUsage).WithName(nameof(RepairUsage))
            .WithSummary("The same, then recount the subnets whose counters differ, in one transaction.");
        return routes;
    }

    public static async Task<Ok<UsageCheckDto>> CheckUsage(UsageCheckService checks, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToDto(await checks.CheckAsync(cancellationToken)));

    public static async Task<Ok<UsageCheckDto>> RepairUsage(UsageCheckService checks, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToDto(await checks.RepairAsync(cancellationToken)));

    private static UsageCheckDto ToDto(UsageCheckResult result) => new(
        result.SubnetsChecked,
        [.. result.Mismatches.Select(m => new UsageMismatchDto(m.SubnetId, ToDto(m.Counted), m.Stored is { } s ? ToDto(s) : null))],
        result.Repaired,
        [.. result.UnreadableRows.Select(r => new UnreadableRowDto(r.Table, r.Key, r.Problem))],
        result.UnreadableRowCount,
        result.OwnerEntryMismatches);

    private static UsageCountDto ToDto(UsageCount count) => new(count.Allocated, count.InPools);
}
