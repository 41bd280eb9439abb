using Ipam.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Ipam.Api.Tests.Faults;

/// <summary>What a client and the log see of a database failure.</summary>
internal static class StoreFailures
{
    public const string Unavailable = "The database is unavailable; nothing was changed. Retry later.";

    public const string OutcomeUnknown = "The database did not confirm the change: it may or may not have been made. Check before retrying.";

    /// <summary>
    /// Checks that <paramref name="response"/> is a 503 store-unavailable problem with a generic detail (no driver
    /// message) and a Retry-After of a second, and that the server logged the cause, with its exception, under the trace id the problem carries.
    /// </summary>
    public static async Task<string> ExpectGenericAsync(IpamServer server, HttpResponseMessage response)
    {
        var problem = await IpamServer.ExpectProblemAsync(response, 503, "store-unavailable");
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var detail = (string)problem["detail"]!;
        Assert.Contains(detail, new[] { Unavailable, OutcomeUnknown });
        var text = problem.ToJsonString();
        Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PostgreSQL", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);

        var traceId = (string)problem["trace_id"]!;
        Assert.Contains(server.Logs.Entries, e =>
            e.Level >= LogLevel.Warning && e.Exception is not null && e.Message.Contains(traceId, StringComparison.Ordinal));
        return detail;
    }
}
