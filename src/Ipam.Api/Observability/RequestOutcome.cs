using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Observability;

/// <summary>
/// What the request metrics learn of a request on its way: its route template (after routing) and the code of the
/// problem it was answered with. A feature of its own, because the exception handler clears the endpoint.
/// </summary>
internal sealed class RequestOutcome
{
    public string? Route { get; set; }

    public string? ProblemCode { get; set; }

    /// <summary>Notes the code of a problem document being written (called for every one, framework answers included).</summary>
    public static void NoteProblem(HttpContext context, ProblemDetails problem)
    {
        if (context.Features.Get<RequestOutcome>() is { } outcome && problem.Extensions.TryGetValue("code", out var code) && code is string text)
        {
            outcome.ProblemCode = text;
        }
    }
}
