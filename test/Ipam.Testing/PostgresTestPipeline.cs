using Xunit.Sdk;
using Xunit.v3;

namespace Ipam.Testing;

/// <summary>
/// Stops the shared PostgreSQL cluster when a test assembly's run ends, before the runner returns: stopping it
/// from a process-exit handler instead raced the runner's wait for the process to end, which then failed a run
/// whose tests had all passed. Each test assembly that uses <see cref="SharedPostgres"/> names this type in
/// <c>[assembly: TestPipelineStartup(typeof(PostgresTestPipeline))]</c>.
/// </summary>
public sealed class PostgresTestPipeline : ITestPipelineStartup
{
    public ValueTask StartAsync(IMessageSink diagnosticMessageSink) => ValueTask.CompletedTask;

    public ValueTask StopAsync() => SharedPostgres.StopAsync();
}
