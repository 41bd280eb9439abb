using Ipam.Storage.Postgres;
using Npgsql;

namespace Ipam.Storage.Tests.Postgres;

/// <summary>
/// Database URLs: one host or several (libpq style), credentials, the <c>pooler</c> parameter and what it does to
/// Npgsql's settings, and the one-line errors for URLs that cannot be used.
/// </summary>
public sealed class PostgresUrlTests
{
    [Fact]
    public void TryParse_Direct_PreparesHotStatementsAndSendsNoReset()
    {
        var builder = Parse("postgresql://ipam@db:5433/ipam");

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Fact]
    public void TryParse_ResetAskedFor_IsKept()
    {
        Assert.False(Parse("postgresql://ipam@db/ipam?No%20Reset%20On%20Close=false").NoResetOnClose);
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

    [Fact]
    public void TryParse_SeveralHosts_NpgsqlHostListWithTargetSessionAttributes()
    {
        var builder = Parse("postgresql://ipam:secret@db1:5432,db2:5433/inventory?target_session_attributes=primary");

        Assert.Equal("db1:5432,db2:5433", builder.Host);
        Assert.Equal("primary", builder.TargetSessionAttributes);
        Assert.Equal(("ipam", "secret", "inventory"), (builder.Username, builder.Password, builder.Database));
        Assert.Equal(1, builder.HostRecheckSeconds);
    }

    [Theory]
    [InlineData("postgresql://db1,db2/ipam", "db1:5432,db2:5432")]
    [InlineData("postgresql://[::1]:5433,10.0.0.7/ipam", "[::1]:5433,10.0.0.7:5432")]
    [InlineData("postgresql://[fe80::1%25eth0]:6000,[2001:db8::2]/ipam", "[fe80::1%eth0]:6000,[2001:db8::2]:5432")]
    [InlineData("postgres://%2Fvar%2Frun%2Fpostgresql:5432,db2:65535/ipam", "/var/run/postgresql:5432,db2:65535")]
    public void TryParse_HostList_PortsDefaultTo5432AndIpv6KeepsItsBrackets(string url, string hosts) =>
        Assert.Equal(hosts, Parse(url).Host);

    [Theory]
    [InlineData("postgresql://ipam@[::1]:5433/ipam", "::1", 5433)]
    [InlineData("postgresql://ipam@[2001:db8::7]/ipam", "2001:db8::7", 5432)]
    [InlineData("postgresql://ipam@db.example.org/ipam", "db.example.org", 5432)]
    [InlineData("postgresql:///ipam", "localhost", 5432)]
    public void TryParse_OneHost_HostAndPortApart(string url, string host, int port)
    {
        var builder = Parse(url);

        Assert.Equal((host, port), (builder.Host, builder.Port));
        Assert.Null(builder.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("postgresql://db1,db2/ipam?Target%20Session%20Attributes=prefer-standby", "prefer-standby")]
    [InlineData("postgresql://db1,db2/ipam?target_session_attributes=read-write", "read-write")]
    public void TryParse_TargetSessionAttributes_LibpqOrNpgsqlName(string url, string attributes) =>
        Assert.Equal(attributes, Parse(url).TargetSessionAttributes);

    [Fact]
    public void TryParse_EncodedCredentials_Decoded()
    {
        var builder = Parse("postgresql://ops%40corp:p%3Ass%2Cw%40rd%25@db1:5432,db2:5432/ip%20am");

        Assert.Equal(("ops@corp", "p:ss,w@rd%", "ip am"), (builder.Username, builder.Password, builder.Database));
        Assert.Equal("db1:5432,db2:5432", builder.Host);
    }

    [Fact]
    public void TryParse_UserWithoutPassword_NoPassword()
    {
        var builder = Parse("postgresql://ipam@db/ipam");

        Assert.Equal("ipam", builder.Username);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void TryParse_NpgsqlRejectsCommaListInSystemUri_SoTheParserReadsTheAuthorityItself() =>
        Assert.False(Uri.TryCreate("postgresql://u:p@db1:5432,db2:5433/ipam", UriKind.Absolute, out _));

    [Theory]
    [InlineData("mysql://db/ipam", "starts with postgresql://")]
    [InlineData("postgresql://db1:5432,,db2/ipam", "empty entry")]
    [InlineData("postgresql://db1:5432,/ipam", "empty entry")]
    [InlineData("postgresql://db1:0/ipam", "port '0'")]
    [InlineData("postgresql://db1:65536,db2/ipam", "port '65536'")]
    [InlineData("postgresql://db1:54x2/ipam", "port '54x2'")]
    [InlineData("postgresql://db1:/ipam", "port ''")]
    [InlineData("postgresql://db1,:5433/ipam", "a port but no host")]
    [InlineData("postgresql://::1:5432/ipam", "in brackets")]
    [InlineData("postgresql://db1,[::1/ipam", "does not close it")]
    [InlineData("postgresql://[::1]5432/ipam", "only ':port' may follow")]
    [InlineData("postgresql://[db1]:5432/ipam", "no IPv6 address")]
    [InlineData("postgresql://[10.0.0.1]:5432/ipam", "no IPv6 address")]
    [InlineData("postgresql://db%zz:5432/ipam", "two hexadecimal digits")]
    [InlineData("postgresql://db1,db2/ip%2/x", "two hexadecimal digits")]
    [InlineData("postgresql://db1,db2/ipam?target_session_attributes=master", "'master' is not one of primary")]
    [InlineData("postgresql://db1,db2/ipam?Target%20Session%20Attributes=Primary", "'Primary' is not one of primary")]
    [InlineData("postgresql://db1/ipam?no_such_setting=1", "Unsupported connection parameter 'no_such_setting'")]
    public void TryParse_BadUrl_OneLineErrorSaysWhat(string url, string expected)
    {
        Assert.False(PostgresUrl.TryParse(url, out var connectionString, out var error));

        Assert.Equal("", connectionString);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void TryParse_BadlyEncodedPassword_ErrorDoesNotShowIt()
    {
        Assert.False(PostgresUrl.TryParse("postgresql://ipam:hunter%2@db1,db2/ipam", out _, out var error));

        Assert.Contains("password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter", error, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Parse(string url)
    {
        Assert.True(PostgresUrl.TryParse(url, out var connectionString, out var error), error);
        return new NpgsqlConnectionStringBuilder(connectionString);
    }
}
