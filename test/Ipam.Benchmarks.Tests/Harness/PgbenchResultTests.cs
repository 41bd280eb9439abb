using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests.Harness;

public sealed class PgbenchResultTests
{
    // What pgbench 15 prints for a custom script (-n -f ... -T 10 -M extended).
    private const string Output = """
        pgbench (15.18 (Debian 15.18-0+deb12u1))
        transaction type: /tmp/insert.sql
        scaling factor: 1
        query mode: extended
        number of clients: 32
        number of threads: 2
        maximum number of tries: 1
        duration: 10 s
        number of transactions actually processed: 26695
        number of failed transactions: 3 (0.011%)
        latency average = 11.712 ms
        initial connection time = 36.418 ms
        tps = 2732.918244 (without initial connection time)
        """;

    [Fact]
    public void Parse_Pgbench15Summary_ReadsRateCountsAndLatency()
    {
        var result = PgbenchResult.Parse(Output);

        Assert.Equal(2732.918244, result.Tps, 6);
        Assert.Equal(26695, result.Processed);
        Assert.Equal(3, result.Failed);
        Assert.Equal(11.712, result.LatencyAverageMilliseconds, 3);
    }

    [Fact]
    public void Parse_NoTpsLine_Throws()
    {
        var aborted = Output[..Output.IndexOf("tps =", StringComparison.Ordinal)] + "pgbench: error: Run was aborted; the above results are incomplete.";

        Assert.Throws<FormatException>(() => PgbenchResult.Parse(aborted));
    }

    [Fact]
    public void LogLatencies_TransactionLog_MicrosecondsAsSecondsWithoutFailedOnes()
    {
        string[] log =
        [
            "0 0 6512 0 1764621234 123456",
            "1 0 12034 0 1764621234 130001",
            "2 0 failed 0 1764621234 140002",
            "",
        ];

        Assert.Equal([0.006512, 0.012034], PgbenchResult.LogLatencies(log));
    }
}
