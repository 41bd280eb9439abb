using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage.Sql;
using Ipam.Testing;

namespace Ipam.Api.Tests.Observability;

[Collection(nameof(ObservabilityCollection))]
public sealed class TracingTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Allocations_Concurrent_EachBatchHasASpanThatLinksEveryCallItCommitted(StoreKind store)
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is StoreTelemetry.Name or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await IpamServer.StartAsync(durableCommits: true, store: store);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.64.0.0/24" }))["id"]!;

        // The test's own trace: the client sends it as traceparent, so the server's spans for these requests join it.
        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        const int Requests = 16;
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ =>
            await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }), 201)));
        root.Stop();
        var trace = root.TraceId;
        // A server stops its request's span, and the batch runner its batch's, after the answer has left: wait for them.
        await Eventually.HoldsAsync(
            () => spans.Count(s => s.Source.Name == "Microsoft.AspNetCore" && s.TraceId == trace) == Requests,
            "every request's server span to stop");
        await Eventually.HoldsAsync(
            () => spans.Where(s => IsBatchOf(s, trace)).Sum(b => (int)b.GetTagItem("ipam.batch.size")!) == Requests,
            "every batch span to stop");

        var writes = spans.Where(s => s.OperationName == "ipam.store.write" && s.TraceId == trace).ToList();
        Assert.Equal(Requests, writes.Count);
        var batches = spans.Where(s => IsBatchOf(s, trace)).ToList();
        Assert.InRange(batches.Count, 1, Requests);

        // Each call's span is the parent of exactly one batch or linked from exactly one: the batch that committed it.
        var committed = batches.SelectMany(b => b.Links.Select(l => l.Context.SpanId).Append(b.ParentSpanId)).ToList();
        Assert.All(writes, w => Assert.Single(committed, spanId => spanId == w.SpanId));
        Assert.Equal(Requests, batches.Sum(b => (int)b.GetTagItem("ipam.batch.size")!));
        // The store call runs inside the request's span.
        Assert.All(writes, w => Assert.Contains(spans, s => s.SpanId == w.ParentSpanId && s.Source.Name == "Microsoft.AspNetCore"));
    }

    private static bool IsBatchOf(Activity span, ActivityTraceId trace) =>
        span.OperationName == "ipam.store.batch" && (span.TraceId == trace || span.Links.Any(l => l.Context.TraceId == trace));
}
