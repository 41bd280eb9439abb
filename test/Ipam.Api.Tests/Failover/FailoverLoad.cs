using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Faults;

namespace Ipam.Api.Tests.Failover;

/// <summary>
/// Clients that allocate from one subnet, one request after another each, until told to stop; every request has
/// an owner of its own, so that what the database holds can be matched with what each client was told. Answers
/// are sorted by what they promise: 201 (the allocation exists), 503 "nothing was changed", 503 outcome unknown;
/// anything else is a failure of the test.
/// </summary>
internal sealed class FailoverLoad(Uri server, string subnetId, int clients)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private long _resumedAtTicks = -1;
    private long _killedAtTicks = long.MaxValue;

    /// <summary>Owner and address of every allocation answered 201, with when its request was sent.</summary>
    public ConcurrentBag<(string Owner, string Address, TimeSpan SentAt)> Acknowledged { get; } = [];

    /// <summary>Owners of requests answered 503 with "nothing was changed" (or the deadline's "nothing was changed").</summary>
    public ConcurrentBag<string> Refused { get; } = [];

    /// <summary>Owners of requests answered 503 with "may or may not have been made".</summary>
    public ConcurrentBag<string> OutcomeUnknown { get; } = [];

    /// <summary>Every other answer: status and body.</summary>
    public ConcurrentBag<string> Failures { get; } = [];

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>From the kill to the first 201 answer of a request sent after it; null until there is one.</summary>
    public TimeSpan? ResumedAfterKill =>
        Interlocked.Read(ref _resumedAtTicks) is var resumed and >= 0 ? TimeSpan.FromTicks(resumed - Interlocked.Read(ref _killedAtTicks)) : null;

    public int AcknowledgedSince(TimeSpan sentAt) => Acknowledged.Count(a => a.SentAt >= sentAt);

    public void Start() =>
        _running = Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() => ClientAsync(client))));

    /// <summary>Marks now as the moment the primary died.</summary>
    public TimeSpan MarkKilled()
    {
        var now = _clock.Elapsed;
        Interlocked.Exchange(ref _killedAtTicks, now.Ticks);
        return now;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running!;
        _stop.Dispose();
    }

    private async Task ClientAsync(int client)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var owner = $"client-{client}-{i}";
            var sentAt = _clock.Elapsed;
            using var response = await http.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", new { owner });
            var text = await response.Content.ReadAsStringAsync();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    Acknowledged.Add((owner, (string)JsonNode.Parse(text)!["ip_address"]!, sentAt));
                    if (sentAt.Ticks >= Interlocked.Read(ref _killedAtTicks))
                    {
                        Interlocked.CompareExchange(ref _resumedAtTicks, _clock.Elapsed.Ticks, -1);
                    }

                    break;
                case HttpStatusCode.ServiceUnavailable when text.Contains(StoreFailures.OutcomeUnknown, StringComparison.Ordinal):
                    OutcomeUnknown.Add(owner);
                    break;
                case HttpStatusCode.ServiceUnavailable when text.Contains("nothing was changed", StringComparison.Ordinal):
                    Refused.Add(owner);

                    // As a client should: back off a little rather than spin on an unavailable service.
                    await Task.Delay(50);
                    break;
                default:
                    Failures.Add($"{(int)response.StatusCode}: {text}");
                    break;
            }
        }
    }
}
