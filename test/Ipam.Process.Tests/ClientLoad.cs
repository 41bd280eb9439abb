using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ipam.Process.Tests;

/// <summary>
/// Clients that allocate (random, next, specific, bulk) and release their own addresses against one or
/// more servers until told to stop, recording every acknowledged outcome in a <see cref="Ledger"/>.
/// </summary>
public sealed class ClientLoad(IReadOnlyList<HttpClient> servers, IReadOnlyList<(string Id, string Cidr)> subnets, Ledger ledger)
{
    /// <summary>When true, a request without an answer (the server died) is expected, not a failure.</summary>
    public bool ServerMayDie { get; init; }

    public Task RunAsync(int clients, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() => ClientAsync(client, stop))));

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(client);
        var api = servers[client % servers.Count];
        var mine = new List<Ledger.Row>();
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var (subnetId, cidr) = subnets[random.Next(subnets.Count)];
            var owner = $"client{client}-{sequence}";
            try
            {
                var dice = random.Next(100);
                if (dice < 25 && mine.Count > 0)
                {
                    var row = mine[random.Next(mine.Count)];
                    mine.Remove(row);
                    await ReleaseAsync(api, row);
                    continue;
                }

                object body = dice switch
                {
                    < 50 => new { strategy = "random", owner },
                    < 70 => new { strategy = "next", owner },
                    < 85 => new { ip_address = RandomHost(cidr, random), owner },
                    _ => new { count = random.Next(1, 5), strategy = random.Next(2) == 0 ? "random" : "next", owner },
                };
                var response = await api.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", body);
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var items = json["items"]?.AsArray().Select(i => i!) ?? [json];
                    foreach (var item in items)
                    {
                        var row = new Ledger.Row(subnetId, (string)item["ip_address"]!, owner);
                        ledger.Allocated(row);
                        mine.Add(row);
                    }
                }
                else if ((string?)json["code"] is not ("pool-exhausted" or "address-in-use" or "address-reserved"))
                {
                    ledger.Failed($"{(int)response.StatusCode} {json.ToJsonString()}");
                }
            }
            catch (HttpRequestException) when (ServerMayDie)
            {
                return;
            }
            catch (TaskCanceledException) when (ServerMayDie || stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReleaseAsync(HttpClient api, Ledger.Row row)
    {
        ledger.Releasing(row);
        var response = await api.DeleteAsync($"/v1/subnets/{row.SubnetId}/allocations/{row.Address}");
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            ledger.Released(row);
        }
        else
        {
            ledger.Failed($"release {row}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Any host address of an IPv4 /16-/30 CIDR (the checker's own arithmetic).</summary>
    private static string RandomHost(string cidr, Random random)
    {
        var parts = cidr.Split('/');
        var network = IPAddress.Parse(parts[0]).GetAddressBytes();
        var hostBits = 32 - int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var offset = (uint)random.Next(1, (1 << hostBits) - 1);
        var value = ((uint)network[0] << 24 | (uint)network[1] << 16 | (uint)network[2] << 8 | network[3]) + offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }
}
