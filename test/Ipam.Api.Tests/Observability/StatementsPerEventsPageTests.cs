using System.Diagnostics;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Api.Tests.Observability;

/// <summary>
/// The statements a page of events after a cursor makes to PostgreSQL before it reads the changes: where the log
/// ends (a cursor past it is refused) and how far retention pruned it (a cursor before that is expired) are read
/// together, in one statement, for a caller who sees every tenant and for one tenant's changes alike.
/// </summary>
[Collection(nameof(ObservabilityCollection))]
public sealed class StatementsPerEventsPageTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("tenant-a")]
    public async Task EventsAfterACursor_ReadsTheLogBoundsInOneStatement(string? tenant)
    {
        using var trace = new NpgsqlCommandTrace(TracedSources.RequestToStore);
        await using var server = await IpamServer.StartAsync(store: StoreKind.Postgres);
        var id = (string)(await server.CreateSubnetAsync(new { cidr = "10.66.0.0/24", tenant_id = "tenant-a" }))["id"]!;
        await server.AllocateAsync(id);
        var filter = tenant is null ? "" : $"&tenant_id={tenant}";

        using var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var page = await server.GetJsonAsync($"/v1/events?after=1{filter}");
        root.Stop();

        Assert.NotEmpty(page["items"]!.AsArray());
        var statements = trace.CommandsOf(root).Select(NpgsqlCommandTrace.Text).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n---\n", statements));
        var bounds = Assert.Single(statements, s => s.Contains("change_log_pruned", StringComparison.Ordinal) || s.Contains("max(seq)", StringComparison.Ordinal));
        Assert.Contains("change_log_pruned", bounds, StringComparison.Ordinal);
        Assert.Contains("max(seq)", bounds, StringComparison.Ordinal);
    }
}
