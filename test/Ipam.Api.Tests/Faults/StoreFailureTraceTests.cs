using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// During an outage every request fails the same way: the log carries that failure's stack trace once, and each
/// repeat as one entry, with its trace id, that says when the traced one was logged.
/// </summary>
public sealed class StoreFailureTraceTests
{
    private const string Cause = "was deleted or replaced while the server ran";

    [Fact]
    public async Task RepeatedStoreFailure_IsLoggedWithItsStackTraceOnce_ThenAsItsMessage()
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.95.3.0/24" }))["id"]!;
        await server.AllocateAsync(id);
        File.Delete(server.DatabasePath + "-wal");

        var traceIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var refused = await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { });
            var problem = await IpamServer.ExpectProblemAsync(refused, 503, "store-unavailable");
            traceIds.Add((string)problem["trace_id"]!);
        }

        var entries = traceIds
            .Select(traceId => Assert.Single(server.Logs.Entries, e => e.EventId.Id == 1001 && e.Message.Contains(traceId, StringComparison.Ordinal)))
            .ToList();
        Assert.All(entries, e => Assert.Contains(Cause, e.Exception!.Message, StringComparison.Ordinal));
        Assert.NotNull(entries[0].Exception!.StackTrace);
        Assert.DoesNotContain("repeated", entries[0].Message, StringComparison.Ordinal);
        Assert.All(entries.Skip(1), e =>
        {
            Assert.Null(e.Exception!.StackTrace);
            Assert.Contains("(repeated: logged with its stack trace at ", e.Message, StringComparison.Ordinal);
        });
    }
}
