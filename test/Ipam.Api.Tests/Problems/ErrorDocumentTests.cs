using Ipam.Api.Tests.Infrastructure;

namespace Ipam.Api.Tests.Problems;

/// <summary>Requests no endpoint answers still get a problem document with a stable code.</summary>
public sealed class ErrorDocumentTests
{
    [Fact]
    public async Task UnknownRoute_Get_ProblemWithNotFoundCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.GetAsync("/v1/no-such-thing");
        await IpamServer.ExpectProblemAsync(response, 404, "not-found");
    }

    [Fact]
    public async Task WrongMethod_PutOnSubnets_ProblemWithMethodNotAllowedCode()
    {
        await using var server = await IpamServer.StartAsync();
        var response = await server.Client.PutAsync("/v1/subnets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await IpamServer.ExpectProblemAsync(response, 405, "method-not-allowed");
    }
}
