using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Ipam.Testing;

/// <summary>
/// A throwaway PgBouncer in transaction pooling mode, on a free loopback port in front of a throwaway cluster, with
/// trust authentication and few server connections, all open before it is handed over (so that consecutive
/// transactions of one client land on different server connections). PgBouncer refuses to run as root, so it runs
/// as the postgres user then. Without PgBouncer the tests that need it are skipped with the reason, except under CI
/// (<c>CI=true</c>), where that fails.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/pgbouncer";
    private const string User = "postgres";

    private readonly string _directory;
    private int _disposed;

    private PgBouncer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>How many server connections PgBouncer keeps per database and user.</summary>
    public const int ServerConnections = 4;

    /// <summary>Starts PgBouncer in front of the cluster that <paramref name="databaseUrl"/> (from <see cref="PostgresCluster.CreateDatabaseUrlAsync"/>) names.</summary>
    public static Task<PgBouncer> StartAsync(PostgresCluster cluster, string databaseUrl) =>
        StartAsync(cluster.ConnectionStringFor(databaseUrl), ServerConnections);

    /// <summary>Starts PgBouncer in front of the server that <paramref name="serverConnectionString"/> names, with <paramref name="serverConnections"/> per database and user.</summary>
    public static async Task<PgBouncer> StartAsync(string serverConnectionString, int serverConnections)
    {
        if (!File.Exists(Binary))
        {
            var reason = $"PgBouncer unavailable: {Binary} not found (apt-get install pgbouncer)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
        }

        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var directory = Directory.CreateTempSubdirectory("ipam-pgbouncer-").FullName;
        var port = PostgresCluster.FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "userlist.txt"), $"\"{server.Username}\" \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), string.Join('\n',
            "[databases]",
            $"* = host={server.Host} port={server.Port}{(server.Password is { Length: > 0 } password ? $" password={password}" : "")}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            $"listen_port = {port}",
            "unix_socket_dir =",
            "auth_type = trust",
            $"auth_file = {directory}/userlist.txt",
            "pool_mode = transaction",
            $"default_pool_size = {serverConnections}",
            // Every server connection kept open (see OpenEveryServerConnectionAsync for how they are opened at
            // start) and handed out least recently used first, so that one client's consecutive transactions land
            // on different server connections on any machine (by default PgBouncer reuses the most recent one,
            // and a lightly loaded run would never hop).
            $"min_pool_size = {serverConnections}",
            "server_round_robin = 1",
            "max_client_conn = 1000",
            $"logfile = {directory}/pgbouncer.log",
            $"pidfile = {directory}/pgbouncer.pid",
            ""));
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await PostgresCluster.RunAsync("chown", ["-R", User, directory]);
        }

        var ini = Path.Combine(directory, "pgbouncer.ini");
        await (asRoot ? PostgresCluster.RunAsync("runuser", ["-u", User, "--", Binary, "-d", ini]) : PostgresCluster.RunAsync(Binary, ["-d", ini]));
        var bouncer = new PgBouncer(directory, port);
        await bouncer.WaitUntilListeningAsync();
        await bouncer.OpenEveryServerConnectionAsync(server, serverConnections);
        return bouncer;
    }

    /// <summary><paramref name="databaseUrl"/> with PgBouncer's port instead of PostgreSQL's, plus <paramref name="query"/>.</summary>
    public string UrlFor(string databaseUrl, string query = "")
    {
        var uri = new UriBuilder(databaseUrl) { Port = Port, Query = query };
        return uri.Uri.ToString();
    }

    /// <summary>What PgBouncer logged, to explain a failure.</summary>
    public string Log => File.Exists(Path.Combine(_directory, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(_directory, "pgbouncer.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var pidFile = Path.Combine(_directory, "pgbouncer.pid");
        if (File.Exists(pidFile))
        {
            var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
            await PostgresCluster.RunAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
            for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
            {
                await Task.Delay(50);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// Holds <paramref name="serverConnections"/> transactions open at once, so that PgBouncer has opened every server
    /// connection before the caller's work starts. <c>min_pool_size</c> alone opens them one per maintenance pass,
    /// which on a busy machine can come after a short workload has run on a single server connection.
    /// </summary>
    private async Task OpenEveryServerConnectionAsync(NpgsqlConnectionStringBuilder server, int serverConnections)
    {
        var throughBouncer = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Port = Port, Pooling = false };
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < serverConnections; i++)
            {
                var connection = new NpgsqlConnection(throughBouncer.ConnectionString);
                held.Add(connection);
                await connection.OpenAsync();
                // Left open: closing the connection rolls it back, after every server connection is taken.
                var transaction = await connection.BeginTransactionAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection, transaction);
                await command.ExecuteScalarAsync();
            }
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"PgBouncer did not listen on {Port}: {Log}", e);
            }
        }
    }
}
