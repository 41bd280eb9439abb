using System.Collections.Frozen;
using Ipam.Allocations.Strategies;
using Ipam.Api.Allocations;

namespace Ipam.Api.Observability;

/// <summary>
/// Counts allocation requests by strategy and outcome: an endpoint filter on the endpoints that take an
/// <see cref="AllocateBody"/> (others pass through untouched). Strategy names a client made up count as "other". A
/// request answered with the remembered result of its <c>Idempotency-Key</c> allocated nothing: its outcome is
/// <see cref="Replayed"/>.
/// </summary>
internal static class AllocationMetrics
{
    public const string Allocated = "allocated";

    public const string Replayed = "replayed";

    /// <summary>Notes that the request was answered with an earlier request's allocations (called by the endpoint).</summary>
    public static void NoteReplay(HttpContext context)
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome)
        {
            outcome.AllocationOutcome = Replayed;
        }
    }

    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var bodyIndex = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.ParameterType == typeof(AllocateBody));
        if (bodyIndex < 0)
        {
            return next;
        }

        var services = context.ApplicationServices;
        var known = AllocationStrategies.BuiltInNames.Concat(services.GetServices<IAllocationStrategy>().Select(s => s.Name)).ToFrozenSet();
        return async invocation =>
        {
            // Recorded with the request once it has been answered (RequestMetrics).
            var outcome = invocation.HttpContext.Features.Get<RequestOutcome>();
            if (outcome is null)
            {
                return await next(invocation);
            }

            outcome.AllocationStrategy = StrategyOf(invocation.Arguments[bodyIndex] as AllocateBody, known);
            try
            {
                var result = await next(invocation);
                outcome.AllocationOutcome ??= Allocated;
                return result;
            }
            catch (Exception e) when (Noted(outcome, e))
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

    /// <summary>Notes why an allocation was refused or failed; never catches (an exception filter).</summary>
    private static bool Noted(RequestOutcome outcome, Exception exception)
    {
        outcome.AllocationOutcome = exception switch
        {
            IpamException refused => refused.Code,
            OperationCanceledException => "cancelled",
            BadHttpRequestException => ErrorCodes.InvalidRequest,
            _ => "error",
        };
        return false;
    }
}
