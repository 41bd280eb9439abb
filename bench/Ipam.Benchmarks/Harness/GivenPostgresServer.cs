using Npgsql;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// The server --pg names: each workload database is created on it through that URL (whose user needs CREATEDB) and
/// dropped when the run ends, so that the run leaves the server as it found it.
/// </summary>
internal sealed class GivenPostgresServer(string url)
{
    private readonly List<string> _created = [];

    public async Task<string> CreateDatabaseUrlAsync()
    {
        var name = $"ipam_bench_{Environment.ProcessId}_{_created.Count + 1}";
        await DropAsync(name);
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        _created.Add(name);
        return WithDatabase(url, name);
    }

    /// <summary>The URL with its database name replaced, keeping its hosts (several, libpq style, are no URI authority) and parameters.</summary>
    internal static string WithDatabase(string url, string name)
    {
        var authority = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var query = url.IndexOf('?', authority);
        var path = url.IndexOf('/', authority);
        var end = query < 0 ? url.Length : query;
        var hostsEnd = path < 0 || path > end ? end : path;
        return $"{url[..hostsEnd]}/{name}{url[end..]}";
    }

    public async Task DropDatabasesAsync()
    {
        foreach (var name in _created)
        {
            await DropAsync(name);
        }
    }

    private Task DropAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(BenchContext.ConnectionString(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
