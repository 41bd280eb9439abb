using Ipam.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Tests.Infrastructure;

/// <summary>A real Ipam server on a free loopback port with its own temporary SQLite file; the CLI talks to it over HTTP.</summary>
internal sealed class TestServer(WebApplication app, TempDatabase database) : IAsyncDisposable
{
    private bool stopped;

    public string Url { get; } = app.Urls.Single();

    /// <summary>The server's SQLite file, for writing what the API would refuse.</summary>
    public string DatabasePath => database.Path;

    /// <summary>
    /// A server on <paramref name="database"/> (else a new file), or on the PostgreSQL database <paramref name="postgresUrl"/>;
    /// with <paramref name="authentication"/>, requiring tokens; listening on <paramref name="urls"/> (a free port by default).
    /// </summary>
    public static async Task<TestServer> StartAsync(
        bool authentication = false, TempDatabase? database = null, string? postgresUrl = null, string urls = "http://127.0.0.1:0",
        int maxEventFollowers = IpamHostOptions.DefaultMaxEventFollowers)
    {
        database ??= new TempDatabase();
        var app = IpamHost.Build(
            new IpamHostOptions
            {
                Urls = urls,
                Database = postgresUrl is null
                    ? new DatabaseLocation(DatabaseLocation.Sqlite, database.Path)
                    : new DatabaseLocation(DatabaseLocation.PostgreSql, postgresUrl),
                DurableCommits = false,
                Authentication = authentication ? true : null,
                MaxEventFollowers = maxEventFollowers,
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

    /// <summary>Stops the server and lets go of its database, which stays for a server started on it again.</summary>
    public async Task StopAsync()
    {
        stopped = true;
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped)
        {
            await StopAsync();
        }

        database.Dispose();
    }
}
