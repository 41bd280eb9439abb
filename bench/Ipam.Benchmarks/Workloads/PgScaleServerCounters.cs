namespace Ipam.Benchmarks.Workloads;

/// <summary>Where the server's WAL and transaction ids stood at one moment (see <see cref="PgScaleSetup.ServerCountersAsync"/>).</summary>
internal sealed record PgScaleServerCounters(long WalBytes, long NextTransactionId)
{
    public PgScaleServerCounters Since(PgScaleServerCounters before) => new(WalBytes - before.WalBytes, NextTransactionId - before.NextTransactionId);
}
