using Ipam.Testing;
using Xunit.v3;

[assembly: TestPipelineStartup(typeof(PostgresTestPipeline))]
