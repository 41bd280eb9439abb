using Ipam.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Tests.Infrastructure;

/// <summary>A real Ipam server on a free loopback port with its own temporary SQLite file; the CLI talks to it over HTTP.</summary>
internal sealed class TestServer(WebApplication app, TempDatabase database) : IAsyncDisposable
{
    public string Url { get; } = app.Urls.Single();

    /// <summary>The server's SQLite file, for writing what the API would refuse.</summary>
    public string DatabasePath => database.Path;

    /// <summary>
    /// A server on <paramref name="database"/> (else a new file), or on the PostgreSQL database <paramref name="postgresUrl"/>;
    /// with <paramref name="authentication"/>, requiring tokens.
    /// </summary>
    public static async Task<TestServer> StartAsync(bool authentication = false, TempDatabase? database = null, string? postgresUrl = null)
    {
        database ??= new TempDatabase();
        var app = IpamHost.Build(
            new IpamHostOptions
            {
                Urls = "http://127.0.0.1:0",
                Database = postgresUrl is null
                    ? new DatabaseLocation(DatabaseLocation.Sqlite, database.Path)
                    : new DatabaseLocation(DatabaseLocation.PostgreSql, postgresUrl),
                DurableCommits = false,
                Authentication = authentication ? true : null,
            },
            builder => builder.Logging.ClearProviders());
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestServer(app, database);
    }

    /// <summary>Runs <c>ipam ARGS --server URL</c>.</summary>
    public Task<CliResult> RunAsync(params string[] args) => IpamCli.RunAsync([.. args, "--server", Url]);

    /// <summary>Creates a subnet with the CLI and returns its id.</summary>
    public async Task<string> CreateSubnetAsync(string cidr, params string[] options)
    {
        var json = (await RunAsync(["subnet", "create", cidr, "--json", .. options])).Json();
        return json.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        database.Dispose();
    }
}
