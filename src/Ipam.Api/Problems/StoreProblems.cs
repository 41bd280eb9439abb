using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Problems;

/// <summary>
/// The problem documents of a database failure. Their details are the same whatever the cause, so that no
/// driver message reaches a client; the cause is logged with the trace id the document carries.
/// </summary>
internal static class StoreProblems
{
    public const string UnavailableDetail = "The database is unavailable; nothing was changed. Retry later.";

    public const string OutcomeUnknownDetail =
        "The database did not confirm the change: it may or may not have been made. Check before retrying.";

    public const string TimedOutDetail = "The request did not complete in time; nothing was changed. Retry later.";

    public static ProblemDetails Unavailable() => Problem(UnavailableDetail);

    public static ProblemDetails OutcomeUnknown()
    {
        var problem = Problem(OutcomeUnknownDetail);
        problem.Extensions["outcome"] = "unknown";
        return problem;
    }

    public static ProblemDetails TimedOut() => Problem(TimedOutDetail);

    /// <summary>The trace id ASP.NET puts in every problem document (<c>trace_id</c>).</summary>
    public static string TraceIdOf(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    private static ProblemDetails Problem(string detail)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Database unavailable.",
            Detail = detail,
        };
        problem.Extensions["code"] = ErrorCodes.StoreUnavailable;
        return problem;
    }
}
