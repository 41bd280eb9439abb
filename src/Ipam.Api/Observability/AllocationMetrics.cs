using System.Collections.Frozen;
using Ipam.Allocations.Strategies;
using Ipam.Api.Allocations;
using Ipam.Errors;

namespace Ipam.Api.Observability;

/// <summary>
/// Counts allocation requests by strategy and outcome: an endpoint filter on the endpoints that take an
/// <see cref="AllocateBody"/> (others pass through untouched). Strategy names a client made up count as "other".
/// </summary>
internal static class AllocationMetrics
{
    public const string Allocated = "allocated";

    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var bodyIndex = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.ParameterType == typeof(AllocateBody));
        if (bodyIndex < 0)
        {
            return next;
        }

        var services = context.ApplicationServices;
        var metrics = services.GetRequiredService<IpamMetrics>();
        var known = AllocationStrategies.BuiltInNames.Concat(services.GetServices<IAllocationStrategy>().Select(s => s.Name)).ToFrozenSet();
        return async invocation =>
        {
            var strategy = StrategyOf(invocation.Arguments[bodyIndex] as AllocateBody, known);
            try
            {
                var result = await next(invocation);
                metrics.AllocationAnswered(strategy, Allocated);
                return result;
            }
            catch (Exception e) when (Counted(metrics, strategy, e))
            {
                throw;
            }
        };
    }

    private static string StrategyOf(AllocateBody? body, FrozenSet<string> known) => body switch
    {
        { IpAddress: not null } => "specific",
        { MacAddress: not null } => "eui64",
        { Strategy: { } named } => known.Contains(named) ? named : "other",
        _ => AllocationStrategies.Default,
    };

    /// <summary>Counts a refused or failed request; never catches (an exception filter).</summary>
    private static bool Counted(IpamMetrics metrics, string strategy, Exception exception)
    {
        metrics.AllocationAnswered(strategy, exception switch
        {
            IpamException refused => refused.Code,
            OperationCanceledException => "cancelled",
            BadHttpRequestException => ErrorCodes.InvalidRequest,
            _ => "error",
        });
        return false;
    }
}
