using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Ipam.Testing;

/// <summary>
/// Two throwaway PostgreSQL clusters on loopback: a primary, and a hot standby cloned from it with
/// <c>pg_basebackup -R</c> that streams its WAL synchronously (the primary runs with
/// <c>synchronous_standby_names = 'FIRST 1 (standby)'</c> and <c>synchronous_commit = on</c>, so a commit is
/// acknowledged only once the standby has flushed it). <see cref="KillPrimary"/> and
/// <see cref="PromoteStandbyAsync"/> make a failover. Needs the server binaries: <c>IPAM_TEST_POSTGRES</c>
/// cannot stand in for them.
/// </summary>
public sealed class ReplicatedPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private const string StandbyName = "standby";

    private readonly string _directory;
    private readonly string _binaries;
    private readonly bool _asRoot = Environment.UserName == "root";
    private int _disposed;

    private ReplicatedPostgres(string directory, string binaries, int primaryPort, int standbyPort)
    {
        _directory = directory;
        _binaries = binaries;
        PrimaryPort = primaryPort;
        StandbyPort = standbyPort;
    }

    public int PrimaryPort { get; }

    public int StandbyPort { get; }

    private string PrimaryData => Path.Combine(_directory, "primary");

    private string StandbyData => Path.Combine(_directory, "standby");

    /// <summary>
    /// Starts the primary and the standby, and returns once the standby is the primary's synchronous standby; null
    /// when no server binaries are installed (then <see cref="PostgresCluster.UnavailableReason"/> says so).
    /// </summary>
    public static async Task<ReplicatedPostgres?> TryStartAsync()
    {
        var binaries = PostgresCluster.FindBinaries();
        if (binaries is null)
        {
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("ipam-pg-pair-").FullName;
        var pair = new ReplicatedPostgres(directory, binaries, PostgresCluster.FreePort(), PostgresCluster.FreePort());
        try
        {
            await pair.StartAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a pair, or skips the test when PostgreSQL is not installed (under CI, <c>CI=true</c>, fails it).</summary>
    public static async Task<ReplicatedPostgres> StartOrSkipAsync()
    {
        if (await TryStartAsync() is { } pair)
        {
            return pair;
        }

        var reason = "PostgreSQL unavailable: no server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason);
        }

        Xunit.Assert.Skip(reason);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// Creates an empty database on the primary (the standby replays it) and returns the URL of both servers,
    /// primary first, with <c>target_session_attributes=primary</c>.
    /// </summary>
    public async Task<string> CreateDatabaseUrlAsync()
    {
        var name = $"ipam_failover_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(AdminConnectionString(PrimaryPort, "postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"postgresql://{SuperUser}@127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort}/{name}?target_session_attributes=primary";
    }

    /// <summary>An Npgsql connection string straight to one server of the pair, for checks on what it holds.</summary>
    public static string AdminConnectionString(int port, string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username={SuperUser};Database={database};Pooling=false");

    /// <summary>The database name of a URL from <see cref="CreateDatabaseUrlAsync"/>.</summary>
    public static string DatabaseOf(string url) => url[(url.LastIndexOf('/') + 1)..url.IndexOf('?', StringComparison.Ordinal)];

    /// <summary>
    /// SIGKILLs the primary's postmaster and every process it started, one right after another, as when its machine
    /// dies: no shutdown checkpoint, no goodbye to clients or to the standby. Returns once they are all dead.
    /// </summary>
    public void KillPrimary()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(PrimaryData, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var processes = PostgresCluster.ChildrenOf(postmaster).Prepend(postmaster).ToList();
        foreach (var pid in processes)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Gone already: a backend that ended on its own.
            }
        }

        var clock = Stopwatch.StartNew();
        while (processes.Any(IsAlive))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("The primary's processes outlived SIGKILL.");
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Promotes the standby (<c>pg_ctl promote</c>) and returns once it accepts writes.</summary>
    public Task PromoteStandbyAsync() => PgAsync("pg_ctl", ["-D", StandbyData, "-w", "-t", "30", "promote"]);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var data in new[] { PrimaryData, StandbyData }.Where(d => File.Exists(Path.Combine(d, "postmaster.pid"))))
            {
                try
                {
                    await PgAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // A killed primary leaves its pid file behind; there is nothing to stop.
                }
            }
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task StartAsync()
    {
        if (_asRoot)
        {
            await PostgresCluster.RunAsync("chown", ["-R", SuperUser, _directory]);
        }

        await PgAsync("initdb", ["-D", PrimaryData, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);

        // On the command line, not in postgresql.conf: pg_basebackup copies that file, and a promoted standby that
        // named a synchronous standby of its own would wait for ever for one to confirm its commits.
        await StartServerAsync(PrimaryData, PrimaryPort,
            $"-c synchronous_standby_names='FIRST 1 ({StandbyName})' -c synchronous_commit=on -c wal_level=replica -c max_wal_senders=4");
        await PgAsync("pg_basebackup", ["-D", StandbyData, "-h", "127.0.0.1", "-p", PrimaryPort.ToString(CultureInfo.InvariantCulture),
            "-U", SuperUser, "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
        await StartServerAsync(StandbyData, StandbyPort, $"-c cluster_name={StandbyName} -c hot_standby=on");
        await WaitForSynchronousStandbyAsync();
    }

    private Task StartServerAsync(string data, int port, string settings) =>
        PgAsync("pg_ctl", ["-D", data, "-w", "-t", "60", "-l", data + ".log", "-o",
            $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB -c fsync=on {settings}", "start"]);

    /// <summary>The walreceiver names itself after <c>cluster_name</c>; the primary lists it once it streams.</summary>
    private async Task WaitForSynchronousStandbyAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString(PrimaryPort, "postgres"));
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT sync_state FROM pg_stat_replication WHERE application_name = $1", connection);
            command.Parameters.AddWithValue(StandbyName);
            if (await command.ExecuteScalarAsync() is "sync")
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"The standby did not become synchronous: {await File.ReadAllTextAsync(StandbyData + ".log")}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Dead processes may linger as zombies until someone reaps them: those count as dead.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private Task PgAsync(string program, string[] arguments) =>
        PostgresCluster.RunPgAsync(_asRoot, Path.Combine(_binaries, program), arguments);
}
