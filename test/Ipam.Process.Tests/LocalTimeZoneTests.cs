using System.Net.Http.Json;
using System.Text.Json;

namespace Ipam.Process.Tests;

/// <summary>A server whose machine is not on UTC reads and writes the same times as one that is.</summary>
public sealed class LocalTimeZoneTests
{
    [Fact]
    public async Task ExpiresAt_WithoutAnOffset_IsUtcNotTheServersLocalTime()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-time-zone-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(
                $"sqlite:{Path.Combine(directory, "ipam.db")}", new Dictionary<string, string> { ["TZ"] = "America/New_York" });
            using var created = await server.Client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.40.0.0/24" });
            var subnet = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            using var withoutOffset = await server.Client.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { expires_at = "2099-01-02T03:04:05" });
            using var withOffset = await server.Client.PostAsJsonAsync($"/v1/subnets/{subnet}/allocations", new { expires_at = "2099-01-02T03:04:05-05:00" });

            Assert.Equal("2099-01-02T03:04:05.000Z", await ExpiresAtAsync(withoutOffset));
            Assert.Equal("2099-01-02T08:04:05.000Z", await ExpiresAtAsync(withOffset));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string?> ExpiresAtAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("expires_at").GetString();
    }
}
