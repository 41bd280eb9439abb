using System.Text.RegularExpressions;
using Ipam.Api.Hosting;
using Ipam.Cli.Commands;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_where_it_listens_answers_requests_and_stops_on_cancel()
    {
        using var database = new TempDatabase();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var output = TextWriter.Synchronized(stdout);
        var serve = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{database.Path}"], output, TextWriter.Synchronized(stderr), stop.Token);

        var url = await WaitForUrlAsync(stdout, serve);
        Assert.Contains($"(database: sqlite:{database.Path})", stdout.ToString(), StringComparison.Ordinal);
        (await IpamCli.RunAsync("subnet", "create", "10.19.0.0/24", "--server", url)).AssertOk();
        Assert.Contains("10.19.0.0/24", (await IpamCli.RunAsync("subnet", "list", "--server", url)).Out, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await serve);
        Assert.Empty(stderr.ToString());
        Assert.True(File.Exists(database.Path));
    }

    [Fact]
    public async Task Serve_answers_only_the_allowed_hosts()
    {
        using var database = new TempDatabase();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        var serve = CliApp.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{database.Path}", "--allowed-hosts", "ipam.example; *.corp.example"],
            TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);
        var url = await WaitForUrlAsync(stdout, serve);
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        Assert.Equal(200, (int)(await GetWithHostAsync(client, "ipam.example")).StatusCode);
        Assert.Equal(200, (int)(await GetWithHostAsync(client, "a.corp.example:8080")).StatusCode);
        var refused = await GetWithHostAsync(client, "127.0.0.1");
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("\"host-not-allowed\"", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await serve);
    }

    [Fact]
    public async Task Serve_help_explains_the_allowed_hosts()
    {
        var help = (await IpamCli.RunAsync("serve", "--help")).AssertOk().Out;

        Assert.Contains("--allowed-hosts", help, StringComparison.Ordinal);
        Assert.Contains("DNS rebinding", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_busy_port_exits_1_with_one_line()
    {
        await using var server = await TestServer.StartAsync();
        using var database = new TempDatabase();

        var message = (await IpamCli.RunAsync("serve", "--urls", server.Url, "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        Assert.StartsWith($"error: cannot start Ipam on {server.Url}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_busy_port_leaves_no_new_database_file_behind()
    {
        await using var server = await TestServer.StartAsync();
        using var database = new TempDatabase();

        (await IpamCli.RunAsync("serve", "--urls", server.Url, "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        var left = Directory.GetFiles(Path.GetDirectoryName(database.Path)!, Path.GetFileName(database.Path) + "*");
        Assert.Empty(left);
    }

    [Fact]
    public async Task Serve_on_a_busy_port_keeps_an_existing_database_file()
    {
        await using var server = await TestServer.StartAsync();
        using var database = new TempDatabase();
        await File.WriteAllBytesAsync(database.Path, []);

        (await IpamCli.RunAsync("serve", "--urls", server.Url, "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        Assert.True(File.Exists(database.Path));
    }

    [Fact]
    public async Task Serve_on_an_address_it_cannot_bind_exits_1_with_one_line()
    {
        using var database = new TempDatabase();

        // 192.0.2.0/24 is for documentation (RFC 5737): no machine has it.
        var message = (await IpamCli.RunAsync("serve", "--urls", "http://192.0.2.1:5080", "--database", $"sqlite:{database.Path}")).AssertFailed(1);

        Assert.StartsWith("error: cannot start Ipam on http://192.0.2.1:5080", message, StringComparison.Ordinal);
        Assert.Single(message.Trim().Split('\n'));
    }

    [Fact]
    public async Task Serve_on_a_sqlite_file_another_server_serves_exits_1_with_one_line()
    {
        await using var server = await TestServer.StartAsync();

        var message = (await IpamCli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{server.DatabasePath}")).AssertFailed(1);

        Assert.StartsWith("error: cannot start Ipam on http://127.0.0.1:0", message, StringComparison.Ordinal);
        Assert.Contains("already served by another process", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_is_described_without_its_password()
    {
        Assert.True(DatabaseLocation.TryParse("postgresql://ipam:s3cret@db:5432/ipam", out var location, out _));

        var described = ServeCommand.Describe(location);

        Assert.DoesNotContain("s3cret", described, StringComparison.Ordinal);
        Assert.Equal("postgresql://ipam:***@db:5432/ipam", described);
    }

    [Theory]
    [InlineData("postgresql://ipam@db/ipam?password=s3cret", "postgresql://ipam@db/ipam?password=***")]
    [InlineData("postgresql://ipam@db/ipam?Timeout=5&Password=s3cret&Pooling=true", "postgresql://ipam@db/ipam?Timeout=5&Password=***&Pooling=true")]
    [InlineData("postgresql://ipam:a@db/ipam?PWD=s3cret", "postgresql://ipam:***@db/ipam?PWD=***")]
    [InlineData("postgresql://ipam@db/ipam?psw=s3cret&pass%77ord=s3cret", "postgresql://ipam@db/ipam?psw=***&pass%77ord=***")]
    [InlineData("postgresql://ipam@db/ipam?password=s3%26cret", "postgresql://ipam@db/ipam?password=***")]
    public void A_password_given_as_a_connection_option_is_hidden_too(string url, string expected)
    {
        Assert.True(DatabaseLocation.TryParse(url, out var location, out _));

        Assert.Equal(expected, ServeCommand.Describe(location));
    }

    private static async Task<HttpResponseMessage> GetWithHostAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/subnets");
        request.Headers.Host = host;
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<string> WaitForUrlAsync(StringWriter stdout, Task<int> serve)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (serve.IsCompleted)
            {
                Assert.Fail($"serve stopped early with exit code {await serve}: {stdout}");
            }

            if (ListeningLine().Match(stdout.ToString()) is { Success: true } match)
            {
                return match.Groups["url"].Value;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"serve did not print where it listens: {stdout}");
    }

    [GeneratedRegex(@"^Ipam listening on (?<url>http://127\.0\.0\.1:\d+)", RegexOptions.Multiline)]
    private static partial Regex ListeningLine();
}
