using Ipam.Api.Problems;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Ipam.Api.Hosting;

/// <summary>
/// The overall deadline of every request (<see cref="IpamHostOptions.RequestTimeout"/>): its cancellation token
/// fires then, which stops a read, and a write still queued or waiting to go round again; such a request is
/// answered 503 here. A write already running is answered at once too, as of unknown outcome (by the store), and
/// logged here as past its deadline all the same (<see cref="UseRequestDeadlines"/>).
/// </summary>
internal static partial class RequestDeadline
{
    /// <summary>
    /// The policy of requests that read or write the whole database (an import, the usage check): they take
    /// time in proportion to it, so they get <see cref="WholeDatabaseTimeout"/> instead of the deadline sized
    /// for one subnet's requests.
    /// </summary>
    public const string WholeDatabase = "whole-database";

    public static readonly TimeSpan WholeDatabaseMinimum = TimeSpan.FromMinutes(10);

    public static TimeSpan WholeDatabaseTimeout(TimeSpan requestTimeout) =>
        requestTimeout > WholeDatabaseMinimum ? requestTimeout : WholeDatabaseMinimum;

    /// <summary>
    /// The deadlines (<see cref="Policy"/>), and the log entry of a request whose deadline passed while its write ran:
    /// the store's unknown-outcome failure is no <see cref="OperationCanceledException"/>, so the timeouts middleware
    /// neither answers nor logs it, and the log would otherwise not say that the deadline, rather than the database or
    /// the client, ended the wait.
    /// </summary>
    public static IApplicationBuilder UseRequestDeadlines(this IApplicationBuilder app)
    {
        app.UseRequestTimeouts();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (StoreUnavailableException e) when (e.OutcomeUnknown && Passed(context))
            {
                LogTimedOut(LoggerOf(context), context.Request.Method, context.Request.Path, StoreProblems.TraceIdOf(context));
                throw;
            }
        });
    }

    public static RequestTimeoutPolicy Policy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        WriteTimeoutResponse = WriteAsync,
    };

    private static async Task WriteAsync(HttpContext context)
    {
        LogTimedOut(LoggerOf(context), context.Request.Method, context.Request.Path, StoreProblems.TraceIdOf(context));
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = StoreProblems.TimedOut(),
        });
    }

    private static bool Passed(HttpContext context) =>
        context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;

    private static ILogger LoggerOf(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestDeadline));

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Method} {Path} did not complete before its deadline (request {TraceId})")]
    private static partial void LogTimedOut(ILogger logger, string method, string path, string traceId);
}
