using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Ipam.Api.Problems;

/// <summary>
/// Writes the problem document of an error whatever the request's <c>Accept</c> names. The framework's writer only
/// answers clients that accept JSON, so an events client (<c>text/event-stream</c>) or a <c>curl -H 'Accept:
/// text/plain'</c> got an empty body or a plain status line; an error is worth more in the one format the API speaks
/// (RFC 9110 lets an error answer ignore <c>Accept</c>). Registered after the framework's writer, it takes the rest.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    private const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var problem = context.ProblemDetails;
        problem.Status ??= response.StatusCode;

        // The result fills in the type and title the framework's writer would (its defaults are not public).
        _ = TypedResults.Problem(problem);
        problem.Extensions.TryAdd("trace_id", StoreProblems.TraceIdOf(context.HttpContext));
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var options = jsonOptions.Value.SerializerOptions;
        return new ValueTask(response.WriteAsJsonAsync(problem, options.GetTypeInfo(problem.GetType()), ContentType, context.HttpContext.RequestAborted));
    }
}
