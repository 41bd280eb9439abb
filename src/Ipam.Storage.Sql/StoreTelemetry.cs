using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ipam.Storage.Sql.GroupCommit;

namespace Ipam.Storage.Sql;

/// <summary>
/// The spans and metrics of both SQL stores, under one name (<see cref="Name"/>): a span per store call (a write's
/// includes its wait in the group-commit queue) and per write batch, the number of requests each batch carried,
/// and the calls that failed because of the database, those made for a request apart from the server's own. Nothing is recorded or allocated for spans while no
/// listener is attached.
/// </summary>
public static class StoreTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>.</summary>
    public const string Name = "Ipam.Storage";

    // The span names.
    internal const string Read = "ipam.store.read", Write = "ipam.store.write", Batch = "ipam.store.batch";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "ipam.store.batch.size", "{request}", "Requests committed together by one write batch (group commit).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "ipam.store.errors", "{call}",
        "Store calls that failed because of the database, by source: 'request' (answered 503 store-unavailable) or 'background' (the server's own work, retried later).");

    private static readonly Counter<long> PoolsRenewed = Meter.CreateCounter<long>(
        "ipam.store.pool.renewals", "{renewal}",
        "Times the store let go of its pooled connections because the database no longer held a statement prepared on one of them; the work that met it ran again on a fresh connection.");

    /// <summary>Whether the store calls of this asynchronous flow are made for a request (see <see cref="MarkRequestFlow"/>).</summary>
    private static readonly AsyncLocal<bool> ForRequest = new();

    /// <summary>
    /// Marks the store calls of the calling asynchronous flow, and of the flows it starts, as made for a request
    /// (<c>source="request"</c>); every other call is the server's own background work (<c>source="background"</c>).
    /// Call it in an async method: the mark ends with it.
    /// </summary>
    public static void MarkRequestFlow() => ForRequest.Value = true;

    /// <summary>Runs one store call (<see cref="Read"/> or <see cref="Write"/>) in a span of its own, counting a database failure.</summary>
    internal static async Task<T> TraceAsync<T>(string operation, Func<Task<T>> call)
    {
        using var activity = Source.StartActivity(operation);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(activity, operation, e))
        {
            throw;
        }
    }

    /// <summary>
    /// Records a batch's size and starts its span: a child of the first request's call, linked to the others' (each
    /// caller's trace shows the batch that committed its work).
    /// </summary>
    internal static Activity? StartBatch(List<QueuedWrite> batch)
    {
        BatchSize.Record(batch.Count);
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = batch.Skip(1).Where(r => r.Caller != default).Select(r => new ActivityLink(r.Caller));
        var activity = Source.StartActivity(Batch, ActivityKind.Internal, batch[0].Caller, links: links);
        activity?.SetTag("ipam.batch.size", batch.Count);
        return activity;
    }

    /// <summary>Counts a renewal of the store's connection pool (see <see cref="PoolsRenewed"/>).</summary>
    public static void RecordPoolRenewed() => PoolsRenewed.Add(1);

    /// <summary>Counts a database failure and marks the span; never catches (an exception filter).</summary>
    private static bool Failed(Activity? activity, string operation, Exception exception)
    {
        if (exception is StoreUnavailableException unavailable)
        {
            Errors.Add(1, new KeyValuePair<string, object?>("operation", operation == Read ? "read" : "write"),
                new KeyValuePair<string, object?>("outcome_unknown", unavailable.OutcomeUnknown),
                new KeyValuePair<string, object?>("source", ForRequest.Value ? "request" : "background"));
            activity?.SetStatus(ActivityStatusCode.Error, unavailable.Message);
        }
        else if (exception is IpamException refused)
        {
            activity?.SetTag("ipam.error.code", refused.Code);
        }

        return false;
    }
}
