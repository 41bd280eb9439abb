using System.Diagnostics;
using System.Net.Http.Json;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage.Postgres;
using Ipam.Testing;

namespace Ipam.Api.Tests.Observability;

/// <summary>
/// The round trips a single allocation makes to PostgreSQL once its subnet is cached, as the driver traces them
/// (a batch is one command, one round trip): one, which holds the subnet at its cached revision, inserts the
/// address picked from the index, checks that the change log still ends where the instance last saw it, appends
/// the allocation's change (its values as parameters of their own, not arrays) and commits.
/// </summary>
[Collection(nameof(ObservabilityCollection))]
public sealed class StatementsPerAllocationTests
{
    private const int Allocations = 20;

    [Fact]
    public async Task Allocate_SubnetCached_OneRoundTripWithoutARevisionRead()
    {
        using var trace = new NpgsqlCommandTrace(TracedSources.RequestToStore);
        // No usage folds: their statements are not the allocations'.
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres, configure: o => o with { UsageFoldInterval = TimeSpan.FromHours(1) });
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.65.0.0/24" }))["id"]!;
        await server.AllocateAsync(id);

        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        for (var i = 0; i < Allocations; i++)
        {
            await IpamServer.ExpectAsync(await server.Client.PostAsJsonAsync($"/v1/subnets/{id}/allocations", new { strategy = "random" }), 201);
        }

        root.Stop();
        var statements = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n---\n", statements.Distinct()));

        Assert.Equal(Allocations, statements.Count);
        Assert.All(statements, s =>
        {
            Assert.Contains(PostgresSql.Text.HoldSubnet!, s, StringComparison.Ordinal);
            Assert.Contains("INSERT INTO allocations", s, StringComparison.Ordinal);
            Assert.Contains(PostgresSql.Text.ExpectLogEnd!, s, StringComparison.Ordinal);
            Assert.Contains(PostgresSql.Text.AppendChangeReturning!, s, StringComparison.Ordinal);
            Assert.EndsWith("COMMIT", s, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(statements, s => s.StartsWith("SELECT revision", StringComparison.Ordinal));
    }
}
