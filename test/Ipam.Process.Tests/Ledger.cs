using System.Collections.Concurrent;

namespace Ipam.Process.Tests;

/// <summary>
/// What clients were told: every allocation acknowledged (201) and every release acknowledged (204). Owner
/// tokens are unique per request, so the expected final state is exact even when an address is released
/// by one client and taken again by another. A release whose answer never came (the server was killed)
/// leaves its row uncertain: it may or may not be stored.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<Row, byte> _live = new();
    private readonly ConcurrentDictionary<Row, byte> _uncertain = new();
    private readonly ConcurrentBag<string> _failures = [];
    private long _acknowledged;
    private long _released;

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long ReleaseCount => Interlocked.Read(ref _released);

    public IReadOnlyCollection<string> Failures => _failures;

    public IReadOnlyCollection<Row> Live => [.. _live.Keys];

    public IReadOnlyCollection<Row> Uncertain => [.. _uncertain.Keys];

    public void Allocated(Row row)
    {
        Interlocked.Increment(ref _acknowledged);
        if (!_live.TryAdd(row, 0))
        {
            _failures.Add($"{row} acknowledged twice");
        }
    }

    /// <summary>Called before a release is sent: until it is acknowledged the row's fate is unknown.</summary>
    public void Releasing(Row row)
    {
        _live.TryRemove(row, out _);
        _uncertain.TryAdd(row, 0);
    }

    public void Released(Row row)
    {
        Interlocked.Increment(ref _released);
        _uncertain.TryRemove(row, out _);
    }

    public void Failed(string what) => _failures.Add(what);

    /// <summary>An allocation as clients saw it and as the checker reads it back.</summary>
    public sealed record Row(string SubnetId, string Address, string Owner);
}
