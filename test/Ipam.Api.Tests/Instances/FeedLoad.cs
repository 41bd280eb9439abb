using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Instances;

/// <summary>
/// Clients that each make a number of requests through their own instance: random, next, specific and bulk allocations,
/// short reservations, releases of what they hold, and now and then a subnet update. Records what was
/// acknowledged, to compare with the change log.
/// </summary>
/// <remarks>Subnets are IPv4, smaller than a /24, with the default pools: <c>Network</c> is their first three octets.</remarks>
internal sealed class FeedLoad(IReadOnlyList<HttpClient> instances, IReadOnlyList<(string Id, string Network, int PoolSize)> subnets)
{
    /// <summary>How long a reservation made under load lasts.</summary>
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentBag<(string SubnetId, string Address)> _created = [];
    private readonly ConcurrentBag<(string SubnetId, string Address)> _released = [];
    private long _updates;
    private long _refusals;
    private long _lastExpiryTicks;

    /// <summary>Every address whose allocation was acknowledged (201), once per allocation.</summary>
    public IReadOnlyCollection<(string SubnetId, string Address)> Created => _created;

    /// <summary>Every release acknowledged (204).</summary>
    public IReadOnlyCollection<(string SubnetId, string Address)> Released => _released;

    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Allocations refused with 409 (pool exhausted, address in use): expected on small subnets.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>When the last reservation made expires.</summary>
    public DateTimeOffset LastExpiry => new(Interlocked.Read(ref _lastExpiryTicks), TimeSpan.Zero);

    /// <summary>Runs <paramref name="clientsPerInstance"/> clients on each instance, <paramref name="requests"/> requests each.</summary>
    public Task RunAsync(int clientsPerInstance, int requests) =>
        Task.WhenAll(Enumerable.Range(0, clientsPerInstance * instances.Count).Select(k => Task.Run(() => ClientAsync(k, requests))));

    private async Task ClientAsync(int client, int requests)
    {
        var http = instances[client % instances.Count];
        var random = new Random(client);
        var held = new List<(string SubnetId, string Address)>();
        for (var request = 0; request < requests; request++)
        {
            var (id, network, poolSize) = subnets[random.Next(subnets.Count)];
            var roll = random.Next(100);
            if (roll < 40 && held.Count > 0)
            {
                var index = random.Next(held.Count);
                var (subnetId, address) = held[index];
                held.RemoveAt(index);

                // Reservations are never held, so nobody else can have released this address.
                ApiFixture.AssertStatus(await http.DeleteAsync($"/v1/subnets/{subnetId}/allocations/{address}"), HttpStatusCode.NoContent);
                _released.Add((subnetId, address));
                continue;
            }

            if (roll is >= 40 and < 43)
            {
                var update = await http.PatchAsJsonAsync($"/v1/subnets/{id}", new { name = $"renamed-by-{client}-{random.Next()}" });
                await IpamServer.ExpectAsync(update, 200);
                Interlocked.Increment(ref _updates);
                continue;
            }

            object body = roll switch
            {
                < 65 => new { owner = $"client-{client}" },
                < 77 => new { strategy = "next", owner = $"client-{client}" },
                < 85 => new { ip_address = $"{network}.{2 + random.Next(poolSize)}" },
                < 94 => new { count = 2 + random.Next(3), strategy = random.Next(2) == 0 ? "random" : "next" },
                _ => new { expires_at = Reserve() },
            };
            var answer = await http.PostAsJsonAsync($"/v1/subnets/{id}/allocations", body);
            if (answer.StatusCode == HttpStatusCode.Conflict)
            {
                Interlocked.Increment(ref _refusals);
                continue;
            }

            var json = await IpamServer.ExpectAsync(answer, 201);
            var items = json["items"] is JsonArray list ? list.Select(i => i!.AsObject()) : [json];
            foreach (var item in items)
            {
                var allocation = (id, (string)item["ip_address"]!);
                _created.Add(allocation);
                if (item["expires_at"] is null)
                {
                    held.Add(allocation);
                }
            }
        }
    }

    private string Reserve()
    {
        var expiry = DateTimeOffset.UtcNow + ReservationLifetime;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _lastExpiryTicks);
        }
        while (expiry.UtcTicks > seen && Interlocked.CompareExchange(ref _lastExpiryTicks, expiry.UtcTicks, seen) != seen);

        return expiry.ToString("O", CultureInfo.InvariantCulture);
    }
}
