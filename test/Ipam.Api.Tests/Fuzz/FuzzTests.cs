using System.Globalization;
using Ipam.Api.Tests.Infrastructure;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// Generated requests, good and bad, against a real server: every answer to bad input is a 4xx problem
/// document, none is a 5xx, and a refused request changes nothing in the database. A bounded count runs with
/// the suite; <c>IPAM_FUZZ_REQUESTS=100000</c> runs the full count, <c>IPAM_FUZZ_SEED</c> repeats a run.
/// </summary>
public abstract class FuzzTests(StoreKind store)
{
    private const int DefaultRequests = 1_000;

    [Fact]
    public async Task GeneratedRequests_AnswerProblemsWithout5xx_AndRefusalsChangeNothing()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("IPAM_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRequests;
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("IPAM_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : (ulong)Random.Shared.NextInt64();
        await using var server = await IpamServer.StartAsync(
            durableCommits: false, store: store, configure: options => options with { RequestTimeout = TimeSpan.FromMinutes(2) });
        await using var probe = await StateProbe.OpenAsync(server);
        var run = new FuzzRun(server.Client, new FuzzWorld(server.Client), probe);

        var elapsed = await run.RunAsync(requests, seed);

        var summary = run.Summary(requests, seed, elapsed);
        TestContext.Current.TestOutputHelper?.WriteLine($"{store}: {summary}");
        Assert.True(run.Failures.Count == 0, $"{store}: {summary}\n\n{string.Join("\n\n", run.Failures)}");
        var mismatches = await server.Services.GetRequiredService<IIpamStore>().ReadAsync((session, ct) => session.FindUsageMismatchesAsync(ct));
        Assert.Empty(mismatches);
    }
}

public sealed class FuzzTestsOnSqlite() : FuzzTests(StoreKind.Sqlite);

public sealed class FuzzTestsOnPostgres() : FuzzTests(StoreKind.Postgres);

public sealed class FuzzTestsOnThreeInstances() : FuzzTests(StoreKind.ThreePostgresInstances);
