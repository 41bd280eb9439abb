using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests.Harness;

/// <summary>The URL of a workload database made on the server --pg names: its database replaced, the rest kept.</summary>
public sealed class GivenPostgresServerTests
{
    [Theory]
    [InlineData("postgres://postgres@127.0.0.1:55433/postgres", "postgres://postgres@127.0.0.1:55433/bench_1")]
    [InlineData("postgresql://u:p@db1:5432,db2:5432/ipam?target_session_attributes=primary", "postgresql://u:p@db1:5432,db2:5432/bench_1?target_session_attributes=primary")]
    [InlineData("postgresql://u@db?sslmode=require", "postgresql://u@db/bench_1?sslmode=require")]
    [InlineData("postgresql://u@db", "postgresql://u@db/bench_1")]
    public void WithDatabase_ReplacesOnlyTheDatabaseName(string given, string expected)
    {
        Assert.Equal(expected, GivenPostgresServer.WithDatabase(given, "bench_1"));
    }
}
