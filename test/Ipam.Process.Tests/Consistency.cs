using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ipam.Process.Tests;

/// <summary>The checks every run ends with: the database holds exactly what clients were told, once.</summary>
public static class Consistency
{
    public static async Task AssertAsync(Ledger ledger, IReadOnlyList<Ledger.Row> stored, HttpClient api, IEnumerable<string> subnetIds, bool exact)
    {
        Assert.Empty(ledger.Failures);

        var duplicates = stored.GroupBy(r => (r.SubnetId, r.Address)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"addresses stored twice: {string.Join(", ", duplicates)}");

        var storedSet = stored.ToHashSet();
        var missing = ledger.Live.Where(r => !storedSet.Contains(r)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged allocations missing, e.g. {string.Join(", ", missing.Take(5))}");

        if (exact)
        {
            // Every request was answered, so every stored row was acknowledged and not released since.
            var known = ledger.Live.Concat(ledger.Uncertain).ToHashSet();
            var unexpected = stored.Where(r => !known.Contains(r)).ToList();
            Assert.True(unexpected.Count == 0, $"{unexpected.Count} stored rows nobody was told about or that were released, e.g. {string.Join(", ", unexpected.Take(5))}");
        }

        foreach (var id in subnetIds)
        {
            var subnet = JsonNode.Parse(await api.GetStringAsync($"/v1/subnets/{id}"))!;
            var usage = subnet["usage"]!;
            var rows = stored.Count(r => r.SubnetId == id);
            Assert.Equal(rows, (long)usage["allocated"]! + (long)usage["outside_pools"]!);
            Assert.Equal((long)usage["total"]! - (long)usage["allocated"]!, (long)usage["free"]!);
        }
    }

    public static async Task<string> CreateSubnetAsync(HttpClient api, string cidr)
    {
        var response = await api.PostAsJsonAsync("/v1/subnets", new { cidr });
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }
}
