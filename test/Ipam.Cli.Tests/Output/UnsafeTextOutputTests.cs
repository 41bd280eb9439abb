using System.Text.Json;
using Ipam.Cli.Output;
using Ipam.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Tests.Output;

/// <summary>
/// Stored text with terminal escapes, NUL and bidi controls (written before the server refused them, or straight
/// into the database) is shown escaped in tables, lines and errors, and exactly in JSON.
/// </summary>
public sealed class UnsafeTextOutputTests
{
    /// <summary>Clears the screen, hides a NUL, a C1 control and a line break, and reverses the rest with a bidi override.</summary>
    private const string Evil = "a\u001b[2J\u0000b\u0085c\nd\u202egnp.exe\u2066e";

    private static readonly string[] Visible = [@"\x1b[2J", @"\x00", @"\x85", @"\x0a", @"\u202e", @"\u2066"];

    [Fact]
    public async Task Tables_show_control_and_bidi_characters_escaped()
    {
        await using var server = await TestServer.StartAsync();
        var (subnet, pool, scope) = await SeedAsync(server);

        foreach (var args in new[]
        {
            new[] { "subnet", "list" }, ["subnet", "show", subnet], ["allocations", subnet],
            ["pool", "list"], ["pool", "show", pool], ["scope", "list"], ["scope", "show", scope],
        })
        {
            var output = (await server.RunAsync(args)).AssertOk().Out;

            AssertEscaped(output, string.Join(' ', args));
        }
    }

    [Fact]
    public async Task Json_output_is_exact_json_without_raw_control_characters()
    {
        await using var server = await TestServer.StartAsync();
        var (subnet, pool, scope) = await SeedAsync(server);

        var shown = await server.RunAsync("subnet", "show", subnet, "--json");
        var allocations = await server.RunAsync("allocations", subnet, "--json");
        var poolJson = await server.RunAsync("pool", "show", pool, "--json");
        var scopeJson = await server.RunAsync("scope", "show", scope, "--json");

        Assert.Equal(Evil, shown.Json().GetProperty("name").GetString());
        Assert.Equal(Evil, shown.Json().GetProperty("tenant_id").GetString());
        Assert.Equal(Evil, allocations.Json().GetProperty("items")[0].GetProperty("owner").GetString());
        Assert.Equal(Evil, allocations.Json().GetProperty("items")[0].GetProperty("description").GetString());
        Assert.Equal(Evil, poolJson.Json().GetProperty("name").GetString());
        Assert.Equal(Evil, scopeJson.Json().GetProperty("name").GetString());
        foreach (var result in new[] { shown, allocations, poolJson, scopeJson })
        {
            Assert.DoesNotContain(result.Out, c => c != '\n' && UnsafeCharacter(c));
        }
    }

    [Fact]
    public async Task Errors_show_stored_text_escaped_on_one_line()
    {
        await using var server = await TestServer.StartAsync();
        var (subnet, _, _) = await SeedAsync(server);

        var error = (await server.RunAsync("allocate", subnet, "--ip", "10.40.0.10")).AssertFailed(1);

        Assert.StartsWith("error: address-in-use: ", error, StringComparison.Ordinal);
        AssertEscaped(error, "allocate", lineBreaksJoined: true);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\u001bb", @"a\x1bb")]
    [InlineData("\u0000\u007f\u009f", @"\x00\x7f\x9f")]
    [InlineData("x\u202ey\u2069", @"x\u202ey\u2069")]
    [InlineData("tab\tnew\nline", @"tab\x09new\x0aline")]
    [InlineData("a\u200eb\u200fc\u061cd", @"a\u200eb\u200fc\u061cd")]
    [InlineData("zero\u200bwidth\u2060\ufeff", @"zero\u200bwidth\u2060\ufeff")]
    [InlineData("\U0001F469\u200D\U0001F4BB", "\U0001F469\u200D\U0001F4BB")]
    [InlineData("Zürich ☃ 名前", "Zürich ☃ 名前")]
    public void Escape_makes_unsafe_characters_visible(string text, string shown)
    {
        Assert.Equal(shown, TerminalText.Escape(text));
    }

    /// <summary>A subnet, a pool and a scope whose text fields hold <see cref="Evil"/>, and an allocation owned and described by it.</summary>
    private static async Task<(string Subnet, string Pool, string Scope)> SeedAsync(TestServer server)
    {
        var subnet = await server.CreateSubnetAsync("10.40.0.0/24", "--name", "plain");
        (await server.RunAsync("allocate", subnet, "--ip", "10.40.0.10", "--owner", "plain")).AssertOk();
        var pool = (await server.RunAsync("pool", "create", "plain", "--prefix", "10.41.0.0/16", "--json")).Json().GetProperty("id").GetString()!;
        var scope = (await server.RunAsync("scope", "create", "plain", "--ip-version", "4", "--json")).Json().GetProperty("id").GetString()!;

        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False");
        connection.Open();
        foreach (var sql in new[]
        {
            "UPDATE subnets SET name = $evil, tenant_id = $evil",
            "UPDATE allocations SET owner = $evil, description = $evil",
            "UPDATE subnet_pools SET name = $evil, tenant_id = $evil",
            "UPDATE address_scopes SET name = $evil, tenant_id = $evil",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$evil", Evil);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        return (subnet, pool, scope);
    }

    /// <summary>No raw unsafe character but the output's own line breaks, and each of Evil's shown escaped (errors join lines instead).</summary>
    private static void AssertEscaped(string output, string what, bool lineBreaksJoined = false)
    {
        Assert.False(output.Any(c => c != '\n' && UnsafeCharacter(c)), $"{what} printed a raw control character: {JsonSerializer.Serialize(output)}");
        Assert.All(Visible.Where(v => !lineBreaksJoined || v != @"\x0a"), escape => Assert.Contains(escape, output, StringComparison.Ordinal));
    }

    private static bool UnsafeCharacter(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
