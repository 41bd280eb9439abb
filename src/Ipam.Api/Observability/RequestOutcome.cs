using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Observability;

/// <summary>
/// What the metrics learn of a request on its way, recorded once its answer has been sent: its route template
/// (after routing), the code of the problem it was answered with, and for an allocation its strategy and outcome.
/// A feature of its own, because the exception handler clears the endpoint.
/// </summary>
internal sealed class RequestOutcome(long started)
{
    /// <summary>When the request arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long Started { get; } = started;

    public string? Route { get; set; }

    public string? ProblemCode { get; set; }

    public string? AllocationStrategy { get; set; }

    public string? AllocationOutcome { get; set; }

    /// <summary>Notes the code of a problem document being written (called for every one, framework answers included).</summary>
    public static void NoteProblem(HttpContext context, ProblemDetails problem)
    {
        if (problem.Extensions.TryGetValue("code", out var code) && code is string text)
        {
            NoteCode(context, text);
        }
    }

    /// <summary>Notes the code of a failure answered without a problem document (<c>/readyz</c>'s 503).</summary>
    public static void NoteCode(HttpContext context, string code)
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome)
        {
            outcome.ProblemCode = code;
        }
    }
}
