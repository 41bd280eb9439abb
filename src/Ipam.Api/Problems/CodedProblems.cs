using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Problems;

/// <summary>
/// Problem documents made outside the exception handler (middleware that refuses a request before an endpoint runs,
/// an endpoint that answers a refusal itself): one with the project's <c>code</c> member, and the writing of one.
/// </summary>
internal static class CodedProblems
{
    public static ProblemDetails Of(int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>Answers the request with <paramref name="problem"/> and its status.</summary>
    public static async Task WriteAsync(this IProblemDetailsService problems, HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
