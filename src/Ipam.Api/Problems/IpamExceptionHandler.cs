using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ipam.Api.Problems;

/// <summary>
/// Turns every exception into RFC 9457 problem details with a stable <c>code</c>: domain errors with their
/// context fields, unreadable bodies as <c>invalid-request</c>, anything else as a 500 without internals.
/// </summary>
internal sealed partial class IpamExceptionHandler(
    IProblemDetailsService problems, IOptions<HttpJsonOptions> jsonOptions, StoreFailureTraces traces, ILogger<IpamExceptionHandler> logger)
    : IExceptionHandler
{
    public const string InternalError = "internal-error";

    public const string PayloadTooLargeCode = "payload-too-large";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            StoreUnavailableException store => FromStore(httpContext, store),
            UnreadableRowException unreadable => FromUnreadableRow(httpContext, unreadable),
            IpamException ipam => FromDomain(ipam),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => PayloadTooLarge(RequestBodyLimit.For(httpContext)),
            BadHttpRequestException bad => FromBadRequest(httpContext, bad),
            _ => null,
        };

        if (problem is null)
        {
            var traceId = StoreProblems.TraceIdOf(httpContext);
            LogUnexpected(logger, exception, traceId);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error.",
                Detail = $"The request failed unexpectedly; nothing was changed. Report trace id {traceId}.",
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

    private static ProblemDetails PayloadTooLarge(long limit)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
            Detail = $"Request bodies may be at most {limit} bytes ({limit >> 20} MiB) here.",
        };
        problem.Extensions["code"] = PayloadTooLargeCode;
        problem.Extensions["limit_bytes"] = limit;
        return problem;
    }

    /// <summary>
    /// A store failure: the cause, which may hold driver messages, goes to the log with the trace id the
    /// problem document carries; the caller gets a generic detail (see <see cref="StoreProblems"/>).
    /// </summary>
    private ProblemDetails FromStore(HttpContext httpContext, StoreUnavailableException exception)
    {
        var traceId = StoreProblems.TraceIdOf(httpContext);
        var logged = traces.ToLog(exception);
        if (exception.OutcomeUnknown)
        {
            LogOutcomeUnknown(logger, logged, traceId, logged.Message);
        }
        else
        {
            LogStoreUnavailable(logger, logged, traceId, logged.Message);
        }

        return exception.OutcomeUnknown ? StoreProblems.OutcomeUnknown() : StoreProblems.Unavailable();
    }

    /// <summary>A stored row the service cannot read: the operator must mend it, so it is logged as the error it is.</summary>
    private ProblemDetails FromUnreadableRow(HttpContext httpContext, UnreadableRowException exception)
    {
        LogUnreadableRow(logger, StoreProblems.TraceIdOf(httpContext), exception.Row.Table, exception.Row.Key, exception.Row.Problem);
        return FromDomain(exception);
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

    /// <summary>
    /// What ASP.NET refused before the handler ran, told apart by the exception's type and the endpoint it was
    /// meant for: JSON the body type cannot take, a route or query value its parameter type cannot parse, or a
    /// missing body. Kestrel's own protocol errors (a subtype) keep their message.
    /// </summary>
    private ProblemDetails FromBadRequest(HttpContext httpContext, BadHttpRequestException exception)
    {
        // The endpoint and route values as they were when the request failed (the handler runs after they are cleared).
        var failed = httpContext.Features.Get<IExceptionHandlerFeature>();
        var bodyType = failed?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (exception.InnerException is JsonException json)
        {
            return FromJson(bodyType, json);
        }

        if (exception.StatusCode == StatusCodes.Status400BadRequest && exception.GetType() == typeof(BadHttpRequestException))
        {
            if (UnparsableParameter.Find(failed?.Endpoint, failed?.RouteValues, httpContext.Request.Query) is var (name, value))
            {
                return InvalidRequest(name, $"'{value}' is not a valid value for {name}.");
            }

            if (bodyType is not null)
            {
                // A body that was sent and still bound as null was JSON null.
                return InvalidRequest("body", JsonObjectBodies.Sent(httpContext) ? JsonObjectBodies.NotAnObject : "A JSON object body is required.");
            }
        }

        return InvalidRequest("body", exception.Message);
    }

    private ProblemDetails FromJson(Type? bodyType, JsonException json)
    {
        // The reader's errors (JsonExceptions too) name where the text broke off, not a member of the wrong type.
        if (json.InnerException is JsonException)
        {
            return InvalidRequest("body", "The body is not valid JSON.");
        }

        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
        if (json.InnerException is InvalidOperationException { InnerException: DecoderFallbackException })
        {
            return InvalidRequest(field, Input.NotUtf8(field));
        }

        if (json is TimeOutOfRangeException)
        {
            return InvalidRequest(field, Input.TimeOutOfRange(field));
        }

        var message = json.Path is null || field == "body"
            ? "The body is not valid JSON."
            : $"'{field}' has the wrong type or format.";
        if (json.Path is not null && bodyType is not null && UnknownJsonMember.IsUnknown(bodyType, json.Path, jsonOptions.Value.SerializerOptions))
        {
            message = $"Unknown field '{field}'.";
        }
        else if (json.Path is not null && json.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            // The serializer says so only in its message (AllowDuplicateProperties is off); the path names the member.
            message = $"'{field}' is given more than once.";
        }
        else if (field == "body")
        {
            // Not a syntax error (those are answered above), so valid JSON of the wrong kind.
            message = JsonObjectBodies.NotAnObject;
        }

        return InvalidRequest(field, message);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled exception for request {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Database unavailable for request {TraceId}: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string traceId, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error,
        Message = "Request {TraceId} needed a row it cannot read: the {Table} row {Key}: {Problem}; 'ipam check' lists every such row")]
    private static partial void LogUnreadableRow(ILogger logger, string traceId, string table, string key, string problem);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Outcome of the change unknown for request {TraceId}: {Reason}")]
    private static partial void LogOutcomeUnknown(ILogger logger, Exception exception, string traceId, string reason);
}
