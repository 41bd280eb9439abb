using System.Text.Json;
using System.Text.RegularExpressions;
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
            else if (field == "body" && json.Message.Contains("could not be converted", StringComparison.Ordinal))
            {
                message = "The body must be a JSON object.";
            }

            return InvalidRequest(field, message);
        }

        // A query or route value of the wrong type: name the parameter, not the body.
        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return InvalidRequest(name, $"'{bind.Groups["value"].Value}' is not a valid value for {name}.");
        }

        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal) ||
            exception.Message.Contains("was not provided from body", StringComparison.Ordinal))
        {
            return InvalidRequest("body", "A JSON object body is required.");
        }

        return InvalidRequest("body", exception.Message);
    }

    /// <summary>ASP.NET's message for a parameter that could not be converted: <c>Failed to bind parameter "int? limit" from "abc".</c></summary>
    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>[^" ]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindFailure();

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled exception for request {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);
}
