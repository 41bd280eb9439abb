using Ipam.Cli.Tests.Infrastructure;
using Ipam.Testing;

namespace Ipam.Cli.Tests.Commands;

public sealed class TokenCommandTests
{
    [Fact]
    public async Task Token_create_offline_on_a_sqlite_file_makes_an_admin_token_the_server_accepts()
    {
        var database = new TempDatabase();
        var created = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--name", "boot", "--json")).Json();
        var admin = created.GetProperty("token").GetString()!;
        Assert.Equal(("admin", "boot", "anonymous"), (created.GetProperty("role").GetString(), created.GetProperty("name").GetString(), created.GetProperty("created_by").GetString()));

        await using var server = await TestServer.StartAsync(authentication: true, database: database);

        Assert.Contains("unauthenticated", (await server.RunAsync("subnet", "list")).AssertFailed(1), StringComparison.Ordinal);
        (await server.RunAsync("subnet", "create", "10.42.0.0/24", "--token", admin)).AssertOk();
        var list = (await server.RunAsync("token", "list", "--token", admin)).AssertOk().Out;
        Assert.Contains(created.GetProperty("id").GetString()!, list, StringComparison.Ordinal);
        Assert.DoesNotContain(admin[^43..], list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_offline_json_shows_the_token_as_the_server_lists_it()
    {
        var database = new TempDatabase();
        var created = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--expires-in", "30d", "--json")).Json();

        await using var server = await TestServer.StartAsync(authentication: true, database: database);
        var listed = (await server.RunAsync("token", "list", "--json", "--token", created.GetProperty("token").GetString()!)).Json()
            .GetProperty("items").EnumerateArray().Single();

        foreach (var field in new[] { "id", "name", "role", "tenant_id", "created_at", "expires_at", "created_by" })
        {
            Assert.Equal(listed.GetProperty(field).ToString(), created.GetProperty(field).ToString());
        }

        Assert.EndsWith("Z", created.GetProperty("created_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_offline_in_a_missing_directory_refuses_in_one_line_and_creates_nothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"ipam-cli-test-{Guid.NewGuid():N}");
        var path = Path.Combine(missing, "dir", "x.db");

        var message = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{path}", "--role", "admin")).AssertFailed(1);

        Assert.Contains($"no Ipam database at {path}", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Token_create_offline_on_postgresql_makes_a_token_the_server_accepts()
    {
        var url = await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync();
        var created = (await IpamCli.RunAsync("token", "create", "--database", url, "--role", "reader", "--tenant", "acme", "--json")).Json();
        var reader = created.GetProperty("token").GetString()!;

        await using var server = await TestServer.StartAsync(authentication: true, postgresUrl: url);

        (await server.RunAsync("subnet", "list", "--token", reader)).AssertOk();
        Assert.Contains("forbidden", (await server.RunAsync("token", "list", "--token", reader)).AssertFailed(1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_token_for_a_server_that_requires_one_says_how_to_give_it(bool onPostgres)
    {
        var url = onPostgres ? await (await SharedPostgres.GetAsync()).CreateDatabaseUrlAsync() : null;
        await using var server = await TestServer.StartAsync(authentication: true, postgresUrl: url);

        var missing = (await server.RunAsync("subnet", "list")).AssertFailed(1);
        var refused = (await server.RunAsync("subnet", "list", "--token", "ipam_wrong")).AssertFailed(1);

        Assert.Equal(
            "error: unauthenticated: the server requires an API token; give one with --token or $IPAM_TOKEN (see 'ipam token create --help')",
            missing);
        Assert.Equal("error: unauthenticated: The token is unknown, expired or revoked.", refused);
    }

    [Fact]
    public async Task Token_create_through_the_server_then_revoke_refuses_it_at_once()
    {
        var database = new TempDatabase();
        var admin = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{database.Path}", "--role", "admin", "--json"))
            .Json().GetProperty("token").GetString()!;
        await using var server = await TestServer.StartAsync(authentication: true, database: database);

        var created = (await server.RunAsync("token", "create", "--role", "member", "--tenant", "acme", "--expires-in", "30d", "--token", admin, "--json")).Json();
        var (member, id) = (created.GetProperty("token").GetString()!, created.GetProperty("id").GetString()!);
        var expires = created.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(29.9), DateTimeOffset.UtcNow.AddDays(30));
        var table = (await server.RunAsync("token", "create", "--role", "reader", "--tenant", "acme", "--token", admin)).AssertOk();
        Assert.Contains(table.Lines, l => l.Contains("Token", StringComparison.Ordinal) && l.Contains("ipam_", StringComparison.Ordinal));
        Assert.Contains("shown this once", table.Error, StringComparison.Ordinal);
        (await server.RunAsync("subnet", "list", "--token", member)).AssertOk();

        Assert.Equal($"Revoked token {id}.", (await server.RunAsync("token", "revoke", id, "--token", admin)).AssertOk().Out.Trim());

        Assert.Contains("unauthenticated", (await server.RunAsync("subnet", "list", "--token", member)).AssertFailed(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_offline_on_a_database_a_server_holds_says_so_in_one_line()
    {
        await using var server = await TestServer.StartAsync();

        var message = (await IpamCli.RunAsync("token", "create", "--database", $"sqlite:{server.DatabasePath}", "--role", "admin")).AssertFailed(1);

        Assert.Contains("a server is serving", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--expires-in", "90x")]
    [InlineData("--expires-in", "0d")]
    [InlineData("--expires-in", "36501d")]
    [InlineData("--expires-in", "99999999d")]
    [InlineData("--expires-in", "3153600001s")]
    [InlineData("--role", "root")]
    public async Task Token_create_with_a_bad_value_is_a_usage_error(string option, string value)
    {
        string[] args = option == "--role"
            ? ["token", "create", "--database", "sqlite:./never.db", option, value]
            : ["token", "create", "--database", "sqlite:./never.db", "--role", "admin", option, value];

        Assert.Contains(value, (await IpamCli.RunAsync(args)).AssertFailed(2), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("member", null, "--role member needs --tenant ID, the tenant the token acts in.")]
    [InlineData("reader", null, "--role reader needs --tenant ID, the tenant the token acts in.")]
    [InlineData("admin", "acme", "--role admin takes no --tenant: an admin token sees every tenant.")]
    public async Task Token_create_through_the_server_names_the_tenant_option_before_any_request(string role, string? tenant, string expected)
    {
        await using var server = await TestServer.StartAsync();
        string[] args = tenant is null ? ["token", "create", "--role", role] : ["token", "create", "--role", role, "--tenant", tenant];

        var message = (await server.RunAsync(args)).AssertFailed(2);

        Assert.Equal($"error: {expected} (see 'ipam token create --help')", message);
        Assert.Empty((await server.RunAsync("token", "list", "--json")).Json().GetProperty("items").EnumerateArray());
    }

    public static TheoryData<string[], string> RefusedOffline => new()
    {
        { ["--role", "member", "--name", "m"], "--role member needs --tenant ID, the tenant the token acts in. (see 'ipam token create --help')" },
        { ["--role", "admin", "--tenant", "acme"], "--role admin takes no --tenant: an admin token sees every tenant. (see 'ipam token create --help')" },
        { ["--role", "reader", "--tenant", "ac\tme"], "tenant_id must not contain control characters, bidi controls or invisible characters (U+0009 at position 2)." },
        { ["--role", "member", "--tenant", "ac\nme"], "tenant_id must not contain control characters, bidi controls or invisible characters (U+000A at position 2)." },
        { ["--role", "admin", "--name", new string('n', 256)], "name must be at most 255 characters, not 256." },
        { ["--role", "member", "--tenant", "acme "], "tenant_id must not begin or end with white space." },
        { ["--role", "reader", "--tenant", " acme"], "tenant_id must not begin or end with white space." },
        { ["--role", "member", "--tenant", "acme\u3000"], "tenant_id must not begin or end with white space." },
    };

    [Theory]
    [MemberData(nameof(RefusedOffline))]
    public async Task Token_create_offline_refuses_what_the_api_refuses_as_a_usage_error_before_opening_the_database(string[] args, string expected)
    {
        using var database = new TempDatabase();

        var result = await IpamCli.RunAsync(["token", "create", "--database", $"sqlite:{database.Path}", .. args]);

        // Compared whole: the messages say "at most" and "at position", which AssertFailed takes for a stack trace.
        Assert.Equal((2, "", $"error: {expected}"), (result.ExitCode, result.Out, result.Error.TrimEnd()));
        Assert.False(File.Exists(database.Path));
    }
}
