using System.Collections.Concurrent;
using System.Text;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Ipam.Api.Tests.Observability;

/// <summary>Spans reach an OTLP receiver when, and only when, OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
[Collection(nameof(ObservabilityCollection))]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Otlp_EndpointSet_StoreAndBatchSpansAreExported()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var receiver = await StartReceiverAsync(received);
        using var endpoint = new EnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Urls.Single());
        using var protocol = new EnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");

        await using (var server = await IpamServer.StartAsync(durableCommits: false))
        {
            Assert.NotNull(server.Services.GetService<TracerProvider>());
            var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.65.0.0/24" }))["id"]!;
            await server.AllocateAsync(id);
            await server.GetJsonAsync($"/v1/subnets/{id}");
        }

        // Stopping the server flushed its exporter.
        var spans = string.Join('\n', received.Select(Encoding.UTF8.GetString));
        Assert.Contains("ipam.store.batch", spans, StringComparison.Ordinal);
        Assert.Contains("ipam.store.write", spans, StringComparison.Ordinal);
        Assert.Contains("ipam.store.read", spans, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_EndpointNotSet_NoTracerIsRegistered()
    {
        using var endpoint = new EnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
        await using var server = await IpamServer.StartAsync(durableCommits: false);

        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    /// <summary>A stand-in collector on a loopback port that keeps the body of every POST to /v1/traces.</summary>
    private static async Task<WebApplication> StartReceiverAsync(ConcurrentQueue<byte[]> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = builder.Build();
        receiver.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await receiver.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _saved;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _saved = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _saved);
    }
}
