using Ipam.Api.Tests.Infrastructure;
using static Ipam.Api.Tests.Infrastructure.ApiFixture;

namespace Ipam.Api.Tests.Problems;

/// <summary>
/// A NUL or other control character in a free-text query parameter: 400 <c>invalid-request</c> on every store
/// (PostgreSQL cannot hold a NUL in text, so these answered 503 there).
/// </summary>
public abstract class NulInQueryTests(ApiFixture api)
{
    [Theory]
    [InlineData("/v1/allocations?owner=a%00b")]
    [InlineData("/v1/events?tenant_id=a%00b")]
    [InlineData("/v1/events?tenant_id=a%07b")]
    public async Task Get_ControlCharacterInTextParameter_Returns400(string path) =>
        await ValidationProblemAsync(await api.Client.GetAsync(path));
}

public sealed class NulInQueryTestsOnSqlite(SqliteApiFixture api) : NulInQueryTests(api), IClassFixture<SqliteApiFixture>;

public sealed class NulInQueryTestsOnPostgres(PostgresApiFixture api) : NulInQueryTests(api), IClassFixture<PostgresApiFixture>;
