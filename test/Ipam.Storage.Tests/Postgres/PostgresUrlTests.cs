using Ipam.Storage.Postgres;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>The <c>pooler</c> parameter of a database URL, and what it does to Npgsql's settings.</summary>
public sealed class PostgresUrlTests
{
    [Fact]
    public void TryParse_Direct_PreparesHotStatementsAndResetsOnClose()
    {
        var builder = Parse("postgresql://ipam@db:5433/ipam");

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.False(builder.NoResetOnClose);
    }

    [Theory]
    [InlineData("postgresql://ipam@bouncer:6432/ipam?pooler=transaction")]
    [InlineData("postgresql://ipam@bouncer:6432/ipam?Max%20Auto%20Prepare=20&pooler=Transaction")]
    public void TryParse_TransactionPooler_NoPreparedStatementsNoReset(string url)
    {
        var builder = Parse(url);

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
        Assert.Equal(("bouncer", 6432), (builder.Host, builder.Port));
    }

    [Fact]
    public void TryParse_OperatorSettings_AreKept()
    {
        var builder = Parse("postgresql://ipam@db/ipam?Max%20Auto%20Prepare=0&No%20Reset%20On%20Close=true&pooler=session");

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Fact]
    public void TryParse_UnknownPooler_IsRefused()
    {
        Assert.False(PostgresUrl.TryParse("postgresql://ipam@db/ipam?pooler=statement", out _, out var error));
        Assert.Contains("pooler=transaction", error, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Parse(string url)
    {
        Assert.True(PostgresUrl.TryParse(url, out var connectionString, out var error), error);
        return new NpgsqlConnectionStringBuilder(connectionString);
    }
}
