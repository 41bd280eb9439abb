using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ipam.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster started from the installed server binaries (initdb + pg_ctl) in a temp
/// directory on a free loopback port, and removed on dispose. <c>IPAM_TEST_POSTGRES</c> (an Npgsql
/// connection string to a server whose user may create databases) uses an existing server instead.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string SuperUser = "postgres";

    private readonly string? _directory;
    private readonly string? _binaries;
    private readonly string _adminConnectionString;
    private int _databases;
    private int _disposed;

    private PostgresCluster(string adminConnectionString, string? directory, string? binaries)
    {
        _adminConnectionString = adminConnectionString;
        _directory = directory;
        _binaries = binaries;
    }

    /// <summary>Why no cluster could be started, or null when one is running.</summary>
    public static string? UnavailableReason { get; private set; }

    /// <summary>Starts a cluster, or returns null (with <see cref="UnavailableReason"/>) when PostgreSQL is not installed.</summary>
    public static async Task<PostgresCluster?> TryStartAsync()
    {
        if (Environment.GetEnvironmentVariable("IPAM_TEST_POSTGRES") is { Length: > 0 } existing)
        {
            return new PostgresCluster(existing, null, null);
        }

        var binaries = FindBinaries();
        if (binaries is null)
        {
            UnavailableReason = "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql), and IPAM_TEST_POSTGRES is not set";
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("ipam-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["-R", SuperUser, directory]);
        }

        var data = Path.Combine(directory, "data");
        await RunPgAsync(asRoot, Path.Combine(binaries, "initdb"), ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var port = FreePort();
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB";
        await RunPgAsync(asRoot, Path.Combine(binaries, "pg_ctl"), ["-D", data, "-w", "-t", "60", "-o", settings, "-l", Path.Combine(directory, "log"), "start"]);
        var admin = $"Host=127.0.0.1;Port={port};Username={SuperUser};Database=postgres;Pooling=false";
        return new PostgresCluster(admin, directory, binaries);
    }

    /// <summary>Creates an empty database and returns its URL in the form <c>ipam serve --database</c> takes.</summary>
    public async Task<string> CreateDatabaseUrlAsync()
    {
        var name = $"ipam_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString);
        var credentials = builder.Password is { Length: > 0 } password
            ? $"{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(password)}"
            : Uri.EscapeDataString(builder.Username!);
        return $"postgresql://{credentials}@{builder.Host}:{builder.Port}/{name}";
    }

    /// <summary>An Npgsql connection string for a database of this cluster, for checkers that read it directly.</summary>
    public string ConnectionStringFor(string databaseUrl)
    {
        var name = databaseUrl[(databaseUrl.LastIndexOf('/') + 1)..];
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Stops the postmaster and every backend with SIGSTOP, as a hung database server; the returned object sends
    /// SIGCONT on dispose. Only for a cluster of its own (not <c>IPAM_TEST_POSTGRES</c>).
    /// </summary>
    public IAsyncDisposable Freeze()
    {
        var data = Path.Combine(_directory ?? throw new InvalidOperationException("Not a throwaway cluster."), "data");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        var processes = new[] { postmaster }.Concat(ChildrenOf(postmaster)).ToList();
        processes.ForEach(p => Signal(p, "STOP"));
        return new Thaw(processes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null || _binaries is null || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await RunPgAsync(Environment.UserName == "root", Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    internal static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent);

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    internal static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(d => File.Exists(Path.Combine(d.Directory, "bin", "initdb")))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>initdb refuses to run as root, so the server tools run as the postgres user when we are root.</summary>
    internal static Task RunPgAsync(bool asRoot, string program, string[] arguments) =>
        asRoot ? RunAsync("runuser", ["-u", SuperUser, "--", program, .. arguments]) : RunAsync(program, arguments);

    internal static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private sealed class Thaw(List<int> processes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            processes.ForEach(p => Signal(p, "CONT"));
            return ValueTask.CompletedTask;
        }
    }
}
