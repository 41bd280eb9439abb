using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// The raw commit limit of an instance's own database, for <see cref="ScaleRates"/>: one connection committing
/// single-row INSERT transactions into a scratch table beside Ipam's. On SQLite the <see cref="RawInsertProbe"/>
/// (<see cref="IpamInstance.RawProbe"/>), a given number of commits; on PostgreSQL the
/// <see cref="RawPostgresProbe"/> with one client in the same database, for a given time (its commits take a
/// network round trip each, and a count small enough for SQLite's would be a few dozen of them).
/// </summary>
internal sealed class ScaleRawCommits : IDisposable
{
    private readonly RawInsertProbe? _sqlite;
    private readonly RawPostgresProbe? _postgres;
    private readonly int _commits;
    private readonly TimeSpan _duration;

    private ScaleRawCommits(RawInsertProbe? sqlite, RawPostgresProbe? postgres, int commits, TimeSpan duration)
    {
        _sqlite = sqlite;
        _postgres = postgres;
        _commits = commits;
        _duration = duration;
    }

    /// <summary>A probe beside <paramref name="ipam"/>: <paramref name="commits"/> a measurement on SQLite, <paramref name="duration"/> on PostgreSQL.</summary>
    public static async Task<ScaleRawCommits> StartAsync(IpamInstance ipam, int commits, TimeSpan duration)
    {
        if (ipam.Database.Kind == DatabaseLocation.Sqlite)
        {
            return new ScaleRawCommits(ipam.RawProbe(), null, commits, duration);
        }

        var postgres = new RawPostgresProbe(BenchContext.ConnectionString(ipam.Database.Target));
        await postgres.PrepareAsync();
        return new ScaleRawCommits(null, postgres, commits, duration);
    }

    /// <summary>How a measurement is made, for the notes.</summary>
    public string Describe() => _sqlite is not null ? $"{_commits} raw single-row commits" : $"raw single-row commits on one connection for {_duration.TotalMilliseconds:F0} ms";

    /// <summary>One measurement, in commits per second.</summary>
    public async Task<double> MeasureAsync() =>
        _sqlite?.Measure(_commits) ?? await _postgres!.MeasureAsync(1, _duration);

    /// <summary>A few commits untimed, for the warm-up.</summary>
    public async Task WarmAsync()
    {
        if (_sqlite is not null)
        {
            _sqlite.Run(100);
        }
        else
        {
            await _postgres!.MeasureAsync(1, TimeSpan.FromMilliseconds(100));
        }
    }

    public void Dispose() => _sqlite?.Dispose();
}
