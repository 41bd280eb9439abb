using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Output;

/// <summary>Tables end no line in white space, and key/value tables keep their values in one column.</summary>
public sealed class TableWhitespaceTests
{
    [Fact]
    public async Task No_table_line_ends_in_white_space()
    {
        await using var server = await TestServer.StartAsync();
        var subnet = await server.CreateSubnetAsync("10.66.0.0/24", "--name", "a-rather-long-name-for-a-subnet");
        (await server.RunAsync("allocate", subnet, "--ip", "10.66.0.9", "--owner", "vm-1")).AssertOk();
        var scope = (await server.RunAsync("scope", "create", "s", "--ip-version", "4", "--json")).Json().GetProperty("id").GetString()!;
        var pool = (await server.RunAsync("pool", "create", "p", "--prefix", "10.67.0.0/16", "--json")).Json().GetProperty("id").GetString()!;

        foreach (var args in new[]
        {
            new[] { "subnet", "create", "10.68.0.0/24" }, ["subnet", "show", subnet], ["subnet", "update", subnet, "--name", "n"],
            ["subnet", "list"], ["usage", subnet], ["allocations", subnet],
            ["pool", "create", "q", "--prefix", "10.69.0.0/16"], ["pool", "show", pool], ["pool", "list"],
            ["scope", "create", "t", "--ip-version", "6"], ["scope", "show", scope], ["scope", "list"],
            ["token", "create", "--role", "admin", "--name", "t"], ["token", "list"],
        })
        {
            var output = (await server.RunAsync(args)).AssertOk().Out;

            Assert.All(output.Split(Environment.NewLine), line => Assert.False(
                line.Length > 0 && char.IsWhiteSpace(line[^1]), $"{string.Join(' ', args)}: '{line}' ends in white space"));
        }
    }

    [Fact]
    public async Task Key_value_table_values_stay_aligned()
    {
        await using var server = await TestServer.StartAsync();
        var subnet = await server.CreateSubnetAsync("10.70.0.0/24", "--name", "web");

        var lines = (await server.RunAsync("subnet", "show", subnet)).AssertOk().Lines;

        Assert.Equal("ID                " + subnet, lines[0]);
        Assert.Equal("Name              web", lines[1]);
        Assert.Contains("Tenant            -", lines);
    }
}
