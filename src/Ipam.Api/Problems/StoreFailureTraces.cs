using System.Collections.Concurrent;

namespace Ipam.Api.Problems;

/// <summary>
/// Which store failures this process logged with their stack trace lately. During an outage every request fails the
/// same way, and a trace per request buried the log (2,800 lines for a 10 s database restart under four clients): a
/// failure is logged with its trace once a minute, and each repeat as its message with the time of that entry.
/// </summary>
internal sealed class StoreFailureTraces(TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Failures whose text varies (a row's key, say) could fill the table: past this many it starts again.</summary>
    private const int MaxRemembered = 1_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tracedAt = new(StringComparer.Ordinal);

    /// <summary>
    /// The exception to log for <paramref name="failure"/>: itself when no failure of its kind and message was logged
    /// with a trace in the last minute; else a copy without a trace that says when that one was.
    /// </summary>
    public Exception ToLog(StoreUnavailableException failure)
    {
        var now = time.GetUtcNow();
        var key = (failure.OutcomeUnknown ? "unknown\n" : "unavailable\n") + failure.Message;
        if (_tracedAt.Count >= MaxRemembered)
        {
            _tracedAt.Clear();
        }

        var tracedAt = _tracedAt.AddOrUpdate(key, now, (_, earlier) => now - earlier >= Interval ? now : earlier);
        return tracedAt == now
            ? failure
            : new StoreUnavailableException($"{failure.Message} (repeated: logged with its stack trace at {tracedAt:HH:mm:ss} UTC)")
            {
                OutcomeUnknown = failure.OutcomeUnknown,
            };
    }
}
