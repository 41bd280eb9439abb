using Ipam.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Tests.Commands;

/// <summary>
/// A <c>--server</c> that answers 200 with JSON of another shape (another service on the port, a proxy's own page):
/// every command says so in one line and fails, rather than print a blank table or crash on a missing member.
/// </summary>
public sealed class ForeignServerTests : IAsyncLifetime
{
    private const string ForeignItem = """{"id":"zz"}""";

    private WebApplication? server;

    private string Url => server!.Urls.Single();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server = builder.Build();
        server.Run(context =>
        {
            context.Response.ContentType = "application/json";
            var body = HttpMethods.IsGet(context.Request.Method)
                ? $$"""{"items":[{{ForeignItem}}],"next":null}"""
                : ForeignItem;
            return context.Response.WriteAsync(body);
        });
        await server.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("subnet", "list")]
    [InlineData("subnet", "create", "10.9.0.0/24")]
    [InlineData("allocate", "01a24c93-30fc-7948-9297-f294a49a9228")]
    [InlineData("events")]
    public async Task An_answer_of_another_shape_is_one_line_and_a_failure(params string[] command)
    {
        var result = await IpamCli.RunAsync([.. command, "--server", Url]);

        var message = result.AssertFailed(ExitCodes.Failed);
        Assert.StartsWith("error: unexpected response from the server", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }
}
