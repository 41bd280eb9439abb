using Ipam.Api.Hosting;
using Ipam.Cli.Commands;
using Ipam.Cli.Tests.Infrastructure;

namespace Ipam.Cli.Tests.Commands;

public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_says_on_start_whether_tokens_are_required()
    {
        foreach (var (auth, expected) in new[] { ((string?)null, "authentication off: every address is loopback"), ("on", "authentication on, tokens required") })
        {
            using var database = new TempDatabase();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            using var stdout = new StringWriter();
            string[] args = ["serve", "--urls", "http://127.0.0.1:0", "--database", $"sqlite:{database.Path}", .. auth is null ? [] : new[] { "--auth", auth }];
            var serve = CliApp.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);

            var url = await WaitForUrlAsync(stdout, serve);
            Assert.Contains(expected, stdout.ToString(), StringComparison.Ordinal);
            var status = (await IpamCli.RunAsync("subnet", "list", "--server", url)).ExitCode;
            Assert.Equal(auth is null ? 0 : 1, status);

            await stop.CancelAsync();
            Assert.Equal(0, await serve);
        }
    }

    [Fact]
    public void The_start_up_line_names_the_rate_limit_on_non_loopback_addresses()
    {
        var described = ServeCommand.DescribeAuthentication(new IpamHostOptions { Urls = "http://0.0.0.0:5080" });

        Assert.Equal($"authentication on, tokens required: not every address is loopback, at most {IpamHostOptions.DefaultRateLimit} requests/s per caller", described);
    }
}
