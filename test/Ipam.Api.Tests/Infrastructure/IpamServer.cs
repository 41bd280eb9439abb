using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ipam.Allocations;
using Ipam.Api.Hosting;
using Ipam.Changes;
using Ipam.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Ipam.Testing;

namespace Ipam.Api.Tests.Infrastructure;

/// <summary>
/// A real Ipam server on a loopback port, on its own SQLite file with production settings (WAL, durable
/// commits), on its own PostgreSQL database, or as three instances (three Kestrel servers) on one PostgreSQL
/// database. Restartable on the same database to check what survived.
/// </summary>
public sealed class IpamServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IRandomSource? _random;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _services;
    private readonly List<WebApplication> _apps = [];
    private readonly List<HttpClient> _instanceClients = [];
    private readonly List<HttpClient> _callerClients = [];
    private RoundRobinHandler? _roundRobin;

    private IpamServer(
        string directory, IpamHostOptions options, StoreKind store, IRandomSource? random, TimeProvider? time, Action<IServiceCollection>? services)
    {
        _directory = directory;
        Options = options;
        Store = store;
        _random = random;
        _time = time;
        _services = services;
    }

    public IpamHostOptions Options { get; }

    /// <summary>The client of the service: on several instances, each request goes to the next instance in turn.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>One client per instance, for tests that choose which instance answers.</summary>
    public IReadOnlyList<HttpClient> InstanceClients => _instanceClients;

    /// <summary>The services of each instance.</summary>
    public IReadOnlyList<IServiceProvider> InstanceServices => [.. _apps.Select(a => a.Services)];

    /// <summary>How many requests went to each instance through <see cref="Client"/> (one instance: null).</summary>
    public IReadOnlyList<long>? SentPerInstance => _roundRobin?.Sent;

    /// <summary>The SQLite file (SQLite servers only).</summary>
    public string DatabasePath => Options.Database.Kind == DatabaseLocation.Sqlite
        ? Options.Database.Target
        : throw new InvalidOperationException("Not a SQLite server.");

    public StoreKind Store { get; }

    /// <summary>The services of the (first) instance.</summary>
    public IServiceProvider Services => _apps[0].Services;

    /// <summary>What the server logged, across restarts.</summary>
    public CapturedLogs Logs { get; } = new();

    // sqliteDirectory: where the SQLite file goes, when not in the server's own temp directory; postgresUrl: a
    // PostgreSQL database of a cluster of the test's own instead of one in the shared cluster; configure: changes
    // to the host options; authentication: require tokens (otherwise the default: off on loopback); services: changes
    // to each instance's services, after the host's own (a store option the host options do not carry, say).
    public static async Task<IpamServer> StartAsync(
        IRandomSource? random = null, TimeProvider? time = null, bool durableCommits = true, StoreKind store = StoreKind.Sqlite,
        string? sqliteDirectory = null, string? postgresUrl = null, Func<IpamHostOptions, IpamHostOptions>? configure = null,
        bool authentication = false, Action<IServiceCollection>? services = null)
    {
        var directory = Directory.CreateTempSubdirectory("ipam-api-tests-").FullName;
        var database = store == StoreKind.Sqlite
            ? new DatabaseLocation(DatabaseLocation.Sqlite, Path.Combine(sqliteDirectory ?? directory, "ipam.db"))
            : new DatabaseLocation(DatabaseLocation.PostgreSql, postgresUrl ?? await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync());
        var options = new IpamHostOptions
        {
            Urls = "http://127.0.0.1:0",
            Database = database,
            DurableCommits = durableCommits,
            Authentication = authentication ? true : null,
        };
        options = configure?.Invoke(options) ?? options;
        var server = new IpamServer(directory, options, store, random, time, services);
        await server.StartAppAsync();
        return server;
    }

    /// <summary>Stops the server (every instance) and starts it again on the same database.</summary>
    public async Task RestartAsync()
    {
        await StopAppAsync();
        await StartAppAsync();
    }

    /// <summary>
    /// A client acting as a caller of <paramref name="role"/> in <paramref name="tenant"/> (null for an admin): a real
    /// token is created through the token service of the first instance, and the client sends it with every request,
    /// to each instance in turn. Whether the server requires tokens or not, a request that presents one acts as its
    /// caller. Valid until the server stops or restarts.
    /// </summary>
    public async Task<HttpClient> ClientAsync(CallerRole role, string? tenant) => ClientOf(await TokenAsync(role, tenant));

    /// <summary>A client, spread over the instances like <see cref="ClientAsync"/>, that presents <paramref name="created"/>.</summary>
    public HttpClient ClientOf(CreatedToken created)
    {
        var client = new HttpClient(new RoundRobinHandler(_instanceClients.Select(c => c.BaseAddress!))) { BaseAddress = _instanceClients[0].BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
        _callerClients.Add(client);
        return client;
    }

    /// <summary>A new token of <paramref name="role"/>, created through the token service of the first instance.</summary>
    public Task<CreatedToken> TokenAsync(CallerRole role, string? tenant, DateTimeOffset? expiresAt = null) =>
        Services.GetRequiredService<TokenService>().CreateAsync(new CreateTokenCommand
        {
            Role = role,
            TenantId = tenant,
            Name = $"test {role} {tenant}",
            ExpiresAt = expiresAt,
        });

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<HttpResponseMessage> PatchJsonAsync(string path, string json) =>
        await Client.PatchAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Creates a subnet and returns its JSON; fails the test unless the server answers 201.</summary>
    public async Task<JsonObject> CreateSubnetAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/v1/subnets", body);
        return await ExpectLoggedAsync(response, 201);
    }

    public async Task<JsonObject> AllocateAsync(string subnetId, object? body = null)
    {
        var response = await Client.PostAsJsonAsync($"/v1/subnets/{subnetId}/allocations", body ?? new { });
        return await ExpectLoggedAsync(response, 201);
    }

    public async Task<JsonObject> GetJsonAsync(string path) => await ExpectLoggedAsync(await Client.GetAsync(path), 200);

    /// <summary>
    /// As <see cref="ExpectAsync"/>; when this server answered a server error instead, the failure also shows the last
    /// warnings and errors it logged, with their exceptions: a fault seen once under load can then be told apart.
    /// </summary>
    private async Task<JsonObject> ExpectLoggedAsync(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode >= 500 && (int)response.StatusCode != status)
        {
            var text = await response.Content.ReadAsStringAsync();
            var logged = Logs.Entries.Where(e => e.Level >= LogLevel.Warning).TakeLast(5)
                .Select(e => $"{e.Level} {e.Category} ({e.EventId.Id}): {e.Message}\n{e.Exception}");
            Assert.Fail($"Expected {status}, got {(int)response.StatusCode}: {text}\nThe server logged:\n{string.Join("\n", logged)}");
        }

        return await ExpectAsync(response, status);
    }

    public static async Task<JsonObject> ExpectAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads a problem details response and checks its status, content type and code.</summary>
    public static async Task<JsonObject> ExpectProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal(status, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection; the OS temp cleaner removes it later.
        }
    }

    private async Task StartAppAsync()
    {
        // One after another: the first creates the schema, the others find it in place.
        for (var i = 0; i < (Store == StoreKind.ThreePostgresInstances ? 3 : 1); i++)
        {
            var app = IpamHost.Build(Options, builder =>
            {
                builder.Logging.AddProvider(Logs);

                // Registered after AddIpam's defaults, so these win.
                if (_random is not null)
                {
                    builder.Services.AddSingleton(_random);
                }

                if (_time is not null)
                {
                    builder.Services.AddSingleton(_time);
                }

                _services?.Invoke(builder.Services);
            });
            await app.StartAsync();
            _apps.Add(app);
            _instanceClients.Add(new HttpClient { BaseAddress = Reachable(new Uri(app.Urls.First())) });
        }

        if (_instanceClients.Count == 1)
        {
            Client = _instanceClients[0];
            return;
        }

        _roundRobin = new RoundRobinHandler(_instanceClients.Select(c => c.BaseAddress!));
        Client = new HttpClient(_roundRobin) { BaseAddress = _instanceClients[0].BaseAddress };
    }

    /// <summary>The URL to connect to: a server listening on every interface is reached on loopback.</summary>
    private static Uri Reachable(Uri url) =>
        url.Host is "0.0.0.0" or "[::]" ? new UriBuilder(url) { Host = "127.0.0.1" }.Uri : url;

    private async Task StopAppAsync()
    {
        if (_apps.Count == 0)
        {
            return;
        }

        if (_roundRobin is not null)
        {
            Client.Dispose();
            _roundRobin = null;
        }

        _instanceClients.ForEach(c => c.Dispose());
        _instanceClients.Clear();
        _callerClients.ForEach(c => c.Dispose());
        _callerClients.Clear();
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _apps.Clear();
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
