using System.Globalization;
using Npgsql;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// PostgreSQL's own benchmark client, run against a database (directly or through a pooler) with a script of one
/// single-row INSERT per transaction into <see cref="RawPostgresProbe.Table"/>: what the server and this machine
/// can commit, measured by a client that costs next to nothing.
/// </summary>
internal sealed class Pgbench(string binary)
{
    public string Binary { get; } = binary;

    /// <summary>The newest installed pgbench, or null.</summary>
    public static Pgbench? Find()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : -1)
                .Select(d => Path.Combine(d, "bin", "pgbench"))
                .Where(File.Exists)
                .Select(path => new Pgbench(path))
                .FirstOrDefault()
            : null;
    }

    /// <summary>
    /// One transaction of the script: a random 16-byte address (2^62 values: no collision in a run's rows) in
    /// <paramref name="subnetId"/>, so the rows a run committed can be counted afterwards.
    /// </summary>
    public static string InsertScript(Guid subnetId) =>
        "\\set ip random(1, 4611686018427387903)\n" +
        $"INSERT INTO {RawPostgresProbe.Table} (subnet_id, ip, owner, created_at) VALUES ('{subnetId}', decode(lpad(to_hex(CAST(:ip AS bigint)), 32, '0'), 'hex'), 'pgbench', now());\n";

    /// <summary>A libpq connection string (keyword=value) for an Npgsql one, as pgbench takes in place of a database name.</summary>
    public static string ConnInfo(string npgsqlConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(npgsqlConnectionString);
        var pairs = new List<string>
        {
            $"host={Quote(builder.Host ?? "127.0.0.1")}",
            $"port={builder.Port.ToString(CultureInfo.InvariantCulture)}",
            $"dbname={Quote(builder.Database ?? "postgres")}",
        };
        if (builder.Username is { Length: > 0 } user)
        {
            pairs.Add($"user={Quote(user)}");
        }

        if (builder.Password is { Length: > 0 } password)
        {
            pairs.Add($"password={Quote(password)}");
        }

        return string.Join(' ', pairs);
    }

    /// <summary>
    /// Runs the single-row INSERT script for <paramref name="duration"/> (whole seconds) with <paramref name="clients"/>
    /// connections on <paramref name="threads"/> threads in <paramref name="queryMode"/> (simple, extended, prepared),
    /// logging every transaction's latency into <paramref name="directory"/>.
    /// </summary>
    public async Task<PgbenchResult> RunInsertsAsync(
        string connectionString, Guid subnetId, string queryMode, int clients, int threads, TimeSpan duration, string directory)
    {
        var script = Path.Combine(directory, $"insert-{subnetId:N}.sql");
        await File.WriteAllTextAsync(script, InsertScript(subnetId));
        var logPrefix = Path.Combine(directory, $"log-{subnetId:N}");
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        string[] arguments =
        [
            "-n", "-f", script, "-c", $"{clients}", "-j", $"{threads}", "-T", $"{seconds}", "-M", queryMode,
            "--log", "--log-prefix", logPrefix, ConnInfo(connectionString),
        ];
        var (exit, output, error) = await NeutronHarness.RunProcessAsync(Binary, arguments, duration + TimeSpan.FromMinutes(1));
        var logs = Directory.GetFiles(directory, Path.GetFileName(logPrefix) + ".*");
        try
        {
            if (exit != 0)
            {
                throw new InvalidOperationException($"pgbench exited with {exit}: {error.Trim()} {output.Trim()}");
            }

            return PgbenchResult.Parse(output) with { Latencies = [.. PgbenchResult.LogLatencies(logs.SelectMany(File.ReadLines))] };
        }
        finally
        {
            Array.ForEach(logs, File.Delete);
        }
    }

    private static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
