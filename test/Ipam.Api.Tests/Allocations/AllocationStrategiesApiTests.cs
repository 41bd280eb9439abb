using System.Net.Http.Json;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Allocations.Strategies;
using Ipam.Api.Hosting;
using Ipam.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Allocations;

/// <summary>Strategy names and counts as the API checks them, and a strategy a host adds of its own.</summary>
public sealed class AllocationStrategiesApiTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("Random")]
    [InlineData("")]
    public async Task Allocate_UnknownStrategy_NamesTheKnownOnes(string strategy)
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.61.0.0/29" }))["id"]!;

        var problem = await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy }), 400, "invalid-request");

        var expected = $"strategy must be 'random' or 'next', not '{strategy}'.";
        Assert.Equal(expected, (string?)problem["detail"]);
        Assert.Equal(expected, (string?)Assert.Single(problem["errors"]!["strategy"]!.AsArray()));
    }

    [Fact]
    public async Task Allocate_UnknownStrategyOnUnknownSubnet_IsInvalidBeforeNotFound()
    {
        await using var server = await IpamServer.StartAsync();

        await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{Guid.NewGuid()}/allocations", new { strategy = "bogus" }), 400, "invalid-request");
        await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{Guid.NewGuid()}/allocations", new { count = 0 }), 400, "invalid-request");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task Allocate_CountOutOfRange_SaysWhatItGot(int count)
    {
        await using var server = await IpamServer.StartAsync();
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.62.0.0/29" }))["id"]!;

        var problem = await IpamServer.ExpectProblemAsync(
            await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { count }), 400, "invalid-request");

        Assert.Equal($"count must be an integer from 1 to 10000; got {count}.", (string?)Assert.Single(problem["errors"]!["count"]!.AsArray()));
    }

    [Fact]
    public async Task Allocate_StrategyAddedByTheHost_IsFoundByName()
    {
        var directory = Directory.CreateTempSubdirectory("ipam-api-tests-").FullName;
        try
        {
            var options = new IpamHostOptions
            {
                Urls = "http://127.0.0.1:0",
                Database = new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(directory, "ipam.db")),
            };
            await using var app = IpamHost.Build(options, builder => builder.Services.AddSingleton<IAllocationStrategy, HighestFirstStrategy>());
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var created = await IpamServer.ExpectAsync(await client.PostAsJsonAsync("/v1/subnets", new { cidr = "10.63.0.0/28" }), 201);
            var allocations = $"/v1/subnets/{created["id"]}/allocations";

            var one = await IpamServer.ExpectAsync(await client.PostAsJsonAsync(allocations, new { strategy = "highest" }), 201);
            var two = await IpamServer.ExpectAsync(await client.PostAsJsonAsync(allocations, new { strategy = "highest", count = 2 }), 201);
            var next = await IpamServer.ExpectAsync(await client.PostAsJsonAsync(allocations, new { strategy = AllocationStrategies.Next }), 201);
            var refused = await IpamServer.ExpectProblemAsync(await client.PostAsJsonAsync(allocations, new { strategy = "lowest" }), 400, "invalid-request");

            Assert.Equal("10.63.0.14", (string?)one["ip_address"]);
            Assert.Equal(["10.63.0.12", "10.63.0.13"], two["items"]!.AsArray().Select(a => (string)a!["ip_address"]!));
            Assert.Equal("10.63.0.2", (string?)next["ip_address"]);
            Assert.Equal("strategy must be 'random', 'next' or 'highest', not 'lowest'.", (string?)refused["detail"]);
            await app.StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a pooled connection; the OS temp cleaner removes it later.
            }
        }
    }

    /// <summary>What a host might add: the highest free pool address.</summary>
    private sealed class HighestFirstStrategy : IAllocationStrategy
    {
        public string Name => "highest";

        public IpAddress Pick(IFreeAddresses free) => free.TakeAt(free.FreeCount - 1);
    }
}
