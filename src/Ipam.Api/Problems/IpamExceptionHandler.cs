using System.Text.Json;
using Ipam.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Ipam.Api.Problems;

/// <summary>
/// Turns every exception into RFC 9457 problem details with a stable <c>code</c>: domain errors with their
/// context fields, unreadable bodies as <c>invalid-request</c>, anything else as a 500 without internals.
/// </summary>
internal sealed partial class IpamExceptionHandler(IProblemDetailsService problems, ILogger<IpamExceptionHandler> logger) : IExceptionHandler
{
    public const string InternalError = "internal-error";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            IpamException ipam => FromDomain(ipam),
            BadHttpRequestException bad => FromBadRequest(bad),
            _ => null,
        };

        if (problem is null)
        {
            LogUnexpected(logger, exception, httpContext.TraceIdentifier);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error.",
                Detail = $"The request failed unexpectedly; nothing was changed. Report trace id {httpContext.TraceIdentifier}.",
            };
            problem.Extensions["code"] = InternalError;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails InvalidRequest(string field, string message)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = message,
        };
        problem.Extensions["code"] = ErrorCodes.InvalidRequest;
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }

    private static ProblemDetails FromDomain(IpamException exception)
    {
        var problem = new ProblemDetails
        {
            Status = ErrorStatus.For(exception.Code),
            Title = exception.Title,
            Detail = exception.Message,
        };
        problem.Extensions["code"] = exception.Code;
        foreach (var (key, value) in exception.Context)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            var message = json.Path is null || field == "body"
                ? "The body is not valid JSON."
                : $"'{field}' has the wrong type or format.";
            if (json.Message.Contains("could not be mapped", StringComparison.Ordinal))
            {
                message = $"Unknown field '{field}'.";
            }

            return InvalidRequest(field, message);
        }

        return InvalidRequest("body", exception.Message);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled exception for request {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);
}
