using System.Globalization;
using Ipam.Storage.Postgres;
using Ipam.Testing;

namespace Ipam.Benchmarks.Harness;

/// <summary>The command line, the run's settings and the resources workloads share (work directory, PostgreSQL, Neutron).</summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private readonly List<string> _arguments;
    private PostgresCluster? _cluster;
    private GivenPostgresServer? _givenServer;
    private bool _clusterTried;
    private string _postgresReason = "";
    private Task<(NeutronHarness? Harness, string Reason)>? _neutron;
    private int _directories;

    public BenchContext(IEnumerable<string> arguments, TextWriter log)
    {
        _arguments = [.. arguments];
        Log = log;
        Quick = Flag("--quick");
        Durable = !Flag("--no-fsync");
        Rounds = Int("--rounds", 3);
        WorkRoot = Directory.CreateTempSubdirectory("ipam-bench-").FullName;
    }

    public TextWriter Log { get; }

    /// <summary>Everything small: a smoke test of every workload (CI), well under two minutes.</summary>
    public bool Quick { get; }

    /// <summary>synchronous=FULL (the default, as <c>ipam serve</c> runs) or NORMAL under --no-fsync.</summary>
    public bool Durable { get; }

    /// <summary>Rounds whose median is reported (at least 3).</summary>
    public int Rounds { get; }

    public string WorkRoot { get; }

    public IReadOnlyList<string> Arguments => _arguments;

    public string Option(string name, string fallback)
    {
        var i = _arguments.IndexOf(name);
        return i >= 0 && i + 1 < _arguments.Count ? _arguments[i + 1] : fallback;
    }

    public bool Flag(string name) => _arguments.Contains(name);

    public int Int(string name, int fallback) => OptionValues.Number<int>(name, Option(name, fallback.ToString(CultureInfo.InvariantCulture)));

    public long Long(string name, long fallback) => OptionValues.Number<long>(name, Option(name, fallback.ToString(CultureInfo.InvariantCulture)));

    public double Double(string name, double fallback) => OptionValues.Number<double>(name, Option(name, fallback.ToString(CultureInfo.InvariantCulture)));

    public int[] Ints(string name, string fallback) => OptionValues.Numbers(name, Option(name, fallback));

    /// <summary>A fresh directory under the run's work directory.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(WorkRoot, $"{Interlocked.Increment(ref _directories):D2}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// The Neutron harness, unless --no-neutron: the script from --neutron-script, $IPAM_BENCH_NEUTRON_SCRIPT or
    /// this checkout, run with --python, $IPAM_BENCH_PYTHON or python3 from PATH. When it is missing the
    /// Neutron figures are skipped, and the reason says how to provide it.
    /// </summary>
    public Task<(NeutronHarness? Harness, string Reason)> NeutronAsync()
    {
        if (Flag("--no-neutron"))
        {
            return Task.FromResult<(NeutronHarness?, string)>((null, "skipped (--no-neutron)"));
        }

        return _neutron ??= FindNeutronAsync();
    }

    private async Task<(NeutronHarness? Harness, string Reason)> FindNeutronAsync()
    {
        var found = await NeutronHarness.TryFindAsync(
            NeutronHarness.FindPython(Option("--python", "")),
            NeutronHarness.FindScript(Option("--neutron-script", ""), RepositoryRoot.Find()));
        if (found.Harness is null)
        {
            Log.WriteLine($"  neutron: not measured: {found.Reason}");
        }

        return found;
    }

    /// <summary>
    /// A new empty PostgreSQL database (URL form): on --pg's server if given (created through that URL, dropped when the
    /// run ends), else on a throwaway cluster started from the installed binaries; null (with the reason) when neither is
    /// available. Every call a database of its own: a workload that compares two setups must not have them share one.
    /// </summary>
    public async Task<(string? Url, string Reason)> PostgresDatabaseAsync()
    {
        if (Option("--pg", "") is { Length: > 0 } given)
        {
            _givenServer ??= new GivenPostgresServer(given);
            return (await _givenServer.CreateDatabaseUrlAsync(), "");
        }

        if (!_clusterTried)
        {
            _clusterTried = true;
            try
            {
                _cluster = await PostgresCluster.TryStartAsync();
                _postgresReason = PostgresCluster.UnavailableReason ?? "";
            }
            catch (InvalidOperationException e)
            {
                _postgresReason = $"the throwaway cluster did not start: {e.Message}";
            }
        }

        return _cluster is null ? (null, _postgresReason) : (await _cluster.CreateDatabaseUrlAsync(), "");
    }

    /// <summary>An Npgsql connection string for a database URL.</summary>
    public static string ConnectionString(string url) =>
        PostgresUrl.TryParse(url, out var connectionString, out var error) ? connectionString : throw new ArgumentException(error);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_givenServer is not null)
        {
            await _givenServer.DropDatabasesAsync();
        }

        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file; the directory is under the temp path anyway.
        }
    }
}
