using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Ipam.Api.Hosting;
using Ipam.Api.Observability;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Changes;
using Ipam.Storage;
using Ipam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipam.Api.Tests.Observability;

[Collection(nameof(ObservabilityCollection))]
public sealed class MetricsTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Metrics_AfterAllocations_CountRequestsAllocationsBatchesAndDurations(StoreKind store)
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, store: store, authentication: true);
        var admin = await server.ClientAsync(CallerRole.Admin, null);
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };
        var before = await PrometheusScrape.TakeAsync(anonymous);

        var subnet = await IpamServer.ExpectAsync(await admin.PostAsJsonAsync("/v1/subnets", new { cidr = "10.61.0.0/24" }), 201);
        var allocations = $"/v1/subnets/{(string)subnet["id"]!}/allocations";
        // The named address first: a random pick could otherwise take it.
        await IpamServer.ExpectAsync(await admin.PostAsJsonAsync(allocations, new { ip_address = "10.61.0.200" }), 201);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ => await IpamServer.ExpectAsync(await admin.PostAsJsonAsync(allocations, new { }), 201)));
        await IpamServer.ExpectAsync(await admin.PostAsJsonAsync(allocations, new { strategy = "next" }), 201);
        await IpamServer.ExpectProblemAsync(await admin.PostAsJsonAsync(allocations, new { ip_address = "10.61.0.200" }), 409, "address-in-use");
        await IpamServer.ExpectProblemAsync(await admin.PostAsJsonAsync(allocations, new { strategy = "made-up" }), 400, "invalid-request");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(allocations, new { }, TestContext.Current.CancellationToken)).StatusCode);
        // Requests are recorded once their answers have been sent, so a client may see an answer before its
        // request is counted: wait until all eight are.
        const string Route = "/v1/subnets/{id}/allocations/";
        var after = await EventuallyAsync(anonymous, s =>
            s.Sum("ipam_http_request_duration_seconds_count", ("route", Route), ("method", "POST"))
            - before.Sum("ipam_http_request_duration_seconds_count", ("route", Route), ("method", "POST")) >= 8);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(3, Delta("ipam_allocations_total", ("strategy", "random"), ("outcome", "allocated")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "next"), ("outcome", "allocated")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "specific"), ("outcome", "allocated")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "specific"), ("outcome", "address-in-use")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "other"), ("outcome", "invalid-request")));

        Assert.Equal(5, Delta("ipam_http_requests_total", ("route", Route), ("method", "POST"), ("status_class", "2xx"), ("code", "none")));
        Assert.Equal(1, Delta("ipam_http_requests_total", ("route", Route), ("status_class", "4xx"), ("code", "address-in-use")));
        Assert.Equal(1, Delta("ipam_http_requests_total", ("route", Route), ("status_class", "4xx"), ("code", "unauthenticated")));
        Assert.Equal(1, Delta("ipam_http_requests_total", ("route", "/v1/subnets/"), ("method", "POST"), ("status_class", "2xx")));
        Assert.Equal(8, Delta("ipam_http_request_duration_seconds_count", ("route", Route), ("method", "POST")));
        Assert.True(Delta("ipam_http_request_duration_seconds_sum", ("route", Route)) > 0);
        Assert.Equal(8, Delta("ipam_http_request_duration_seconds_bucket", ("route", Route), ("method", "POST"), ("le", "+Inf")));

        // The usage fold's gauge, once its first round (200 ms after start) has read the log.
        Assert.True((await EventuallyAsync(anonymous, s => s.Has("ipam_usage_fold_lag"))).Sum("ipam_usage_fold_lag") >= 0);

        // Every write (the subnet and six allocations, the refused address included) went through a batch.
        Assert.True(Delta("ipam_store_batch_size_count") >= 1, after.Text);
        Assert.True(Delta("ipam_store_batch_size_sum") >= 7, after.Text);
        Assert.True(Delta("ipam_store_batch_size_bucket", ("le", "+Inf")) == Delta("ipam_store_batch_size_count"));
    }

    [Fact]
    public async Task Metrics_Utilisation_ReportsTheFullestSubnetsOnlyBoundedAndFromASurvey()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false, configure: o => o with { UtilisationSurveyInterval = TimeSpan.FromMilliseconds(200) });
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var id = (string)(await server.CreateSubnetAsync(new { cidr = $"10.62.{i}.0/28" }))["id"]!;
            ids.Add(id);
            // Subnet i has i + 1 addresses allocated out of 13 (a /28 less network, broadcast and gateway).
            await server.AllocateAsync(id, new { count = Math.Min(i + 1, 13) });
        }

        var scrape = await EventuallyAsync(server.Client, s => s.LabelsOf("ipam_subnet_utilization_ratio").Any());
        var reported = scrape.LabelsOf("ipam_subnet_utilization_ratio").ToList();
        Assert.Equal(20, reported.Count);
        // The five emptiest subnets are left out; a full /28 reads 1.
        Assert.DoesNotContain(reported, labels => ids.Take(5).Contains(labels["subnet_id"]));
        Assert.Equal(1.0, scrape.Sum("ipam_subnet_utilization_ratio", ("subnet_id", ids[24]), ("cidr", "10.62.24.0/28")));
        Assert.Equal(6.0 / 13, scrape.Sum("ipam_subnet_utilization_ratio", ("subnet_id", ids[5])), 9);

        // A later survey sees later allocations.
        await server.AllocateAsync(ids[5], new { count = 7 });
        await EventuallyAsync(server.Client, s => s.Sum("ipam_subnet_utilization_ratio", ("subnet_id", ids[5])) == 1.0);
    }

    [Fact]
    public async Task Metrics_Utilisation_AuthOn_LabelsSubnetsByIdAlone()
    {
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, authentication: true, configure: o => o with { UtilisationSurveyInterval = TimeSpan.FromMilliseconds(200) });
        var admin = await server.ClientAsync(CallerRole.Admin, null);
        var subnet = await IpamServer.ExpectAsync(await admin.PostAsJsonAsync("/v1/subnets", new { cidr = "10.63.7.0/28", tenant_id = "acme" }), 201);
        var id = (string)subnet["id"]!;
        await IpamServer.ExpectAsync(await admin.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count = 13 }), 201);
        using var anonymous = new HttpClient { BaseAddress = server.Client.BaseAddress };

        var scrape = await EventuallyAsync(anonymous, s => s.LabelsOf("ipam_subnet_utilization_ratio").Any());

        var labels = Assert.Single(scrape.LabelsOf("ipam_subnet_utilization_ratio"));
        Assert.Equal(id, labels["subnet_id"]);
        Assert.False(labels.ContainsKey("cidr"));
        Assert.DoesNotContain("10.63.7.", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(1.0, scrape.Sum("ipam_subnet_utilization_ratio", ("subnet_id", id)));
    }

    [Fact]
    public async Task Metrics_DatabaseStopped_CountsRequestAndBackgroundStoreErrorsApart()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        // Usage folds every 100 ms: their failed reads and writes are the server's own, not the requests'.
        await using var server = await IpamServer.StartAsync(
            store: StoreKind.Postgres, postgresUrl: await cluster.CreateDatabaseUrlAsync(),
            configure: o => o with { UsageFoldInterval = TimeSpan.FromMilliseconds(100) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.63.0.0/24" }))["id"]!;
        // With its index cached, the next allocation goes straight to its write (the first reads the rows first).
        await server.AllocateAsync(id);
        var before = await PrometheusScrape.TakeAsync(server.Client);

        await cluster.DisposeAsync();
        await IpamServer.ExpectProblemAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { }, TestContext.Current.CancellationToken), 503, "store-unavailable");
        await IpamServer.ExpectProblemAsync(await server.Client.GetAsync($"/v1/subnets/{id}", TestContext.Current.CancellationToken), 503, "store-unavailable");
        var after = await EventuallyAsync(server.Client, s =>
            s.Sum("ipam_http_requests_total", ("code", "store-unavailable")) - before.Sum("ipam_http_requests_total", ("code", "store-unavailable")) >= 2 &&
            s.Sum("ipam_store_errors_total", ("source", "background")) - before.Sum("ipam_store_errors_total", ("source", "background")) >= 1);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(1, Delta("ipam_store_errors_total", ("source", "request"), ("operation", "write")));
        Assert.True(Delta("ipam_store_errors_total", ("source", "request"), ("operation", "read")) >= 1, after.Text);
        Assert.Equal(
            Delta("ipam_store_errors_total"),
            Delta("ipam_store_errors_total", ("source", "request")) + Delta("ipam_store_errors_total", ("source", "background")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("outcome", "store-unavailable")));
        Assert.Equal(2, Delta("ipam_http_requests_total", ("status_class", "5xx"), ("code", "store-unavailable")));
    }

    [Fact]
    public async Task Metrics_ReadyzWithTheDatabaseStopped_CountedAsStoreUnavailableNotAsSuccess()
    {
        await using var cluster = await PostgresCluster.TryStartAsync() ?? throw new InvalidOperationException(PostgresCluster.UnavailableReason);
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, postgresUrl: await cluster.CreateDatabaseUrlAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
        var before = await PrometheusScrape.TakeAsync(server.Client);

        await cluster.DisposeAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);
        var after = await EventuallyAsync(server.Client, s =>
            s.Sum("ipam_http_requests_total", ("route", "/readyz")) - before.Sum("ipam_http_requests_total", ("route", "/readyz")) >= 1);

        double Delta(params (string, string)[] labels) => after.Sum("ipam_http_requests_total", labels) - before.Sum("ipam_http_requests_total", labels);
        Assert.Equal(1, Delta(("route", "/readyz"), ("status_class", "5xx"), ("code", "store-unavailable")));
        Assert.Equal(0, Delta(("route", "/readyz"), ("code", "none")));
    }

    [Fact]
    public async Task Metrics_IdempotentRetries_CountedAsReplayedNotAllocated()
    {
        await using var server = await IpamServer.StartAsync(durableCommits: false);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.64.0.0/24" }))["id"]!;
        var before = await PrometheusScrape.TakeAsync(server.Client);

        var key = Guid.NewGuid().ToString();
        for (var i = 0; i < 3; i++)
        {
            await IpamServer.ExpectAsync(await SendWithKeyAsync(server.Client, id, key, """{"strategy": "next"}"""), 201);
        }

        var bulkKey = Guid.NewGuid().ToString();
        for (var i = 0; i < 2; i++)
        {
            await IpamServer.ExpectAsync(await SendWithKeyAsync(server.Client, id, bulkKey, """{"count": 3}"""), 201);
        }

        const string Route = "/v1/subnets/{id}/allocations/";
        var after = await EventuallyAsync(server.Client, s =>
            s.Sum("ipam_http_request_duration_seconds_count", ("route", Route), ("method", "POST"))
            - before.Sum("ipam_http_request_duration_seconds_count", ("route", Route), ("method", "POST")) >= 5);

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "next"), ("outcome", "allocated")));
        Assert.Equal(2, Delta("ipam_allocations_total", ("strategy", "next"), ("outcome", "replayed")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "random"), ("outcome", "allocated")));
        Assert.Equal(1, Delta("ipam_allocations_total", ("strategy", "random"), ("outcome", "replayed")));
        Assert.Equal(4, (await server.GetJsonAsync($"/v1/subnets/{id}/allocations"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Metrics_UsageFoldLag_ReportsHowFarTheLogRanPastTheFold()
    {
        // The server's own fold waits an hour for its first round: the changes below wait for the one made here.
        await using var server = await IpamServer.StartAsync(durableCommits: false, configure: o => o with { UsageFoldInterval = TimeSpan.FromHours(1) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.63.0.0/24" }))["id"]!;
        await server.AllocateAsync(id, new { count = 5 });

        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IpamMetrics(meters.GetRequiredService<IMeterFactory>());
        var folder = new UsageFolder(
            server.Services.GetRequiredService<IIpamStore>(), TimeProvider.System, new IpamHostOptions(), metrics, NullLogger<UsageFolder>.Instance);
        Assert.Empty(ObserveFoldLag(metrics.Meter));

        // The subnet's change and the five allocations'.
        Assert.Equal(6, await folder.FoldAsync(TestContext.Current.CancellationToken));
        Assert.Equal([6L], ObserveFoldLag(metrics.Meter));
        Assert.Equal(0, await folder.FoldAsync(TestContext.Current.CancellationToken));
        Assert.Equal([0L], ObserveFoldLag(metrics.Meter));
    }

    /// <summary>What the <c>ipam.usage.fold.lag</c> gauge of <paramref name="meter"/> reports now.</summary>
    private static List<long> ObserveFoldLag(Meter meter)
    {
        var observed = new List<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "ipam.usage.fold.lag" && instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string subnetId, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/subnets/{subnetId}/allocations")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<PrometheusScrape> EventuallyAsync(HttpClient client, Func<PrometheusScrape, bool> condition)
    {
        for (var attempt = 0; ; attempt++)
        {
            var scrape = await PrometheusScrape.TakeAsync(client);
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(attempt < 100, $"the metrics never showed what was expected: {scrape.Text}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
