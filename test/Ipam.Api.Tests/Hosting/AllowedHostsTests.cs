using Ipam.Api.Hosting;

namespace Ipam.Api.Tests.Hosting;

/// <summary>Which Host names the service answers to by default, and which configuration wins.</summary>
public sealed class AllowedHostsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.0.0.2:80;http://[::1]:81", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", false)]
    public void AllLoopback_TrueOnlyWhenEveryUrlIsLoopback(string urls, bool loopback)
    {
        Assert.Equal(loopback, AllowedHosts.AllLoopback(urls));
    }

    [Fact]
    public void For_OptionsThenConfigurationThenTheListenAddresses()
    {
        Assert.Equal(["a.example"], AllowedHosts.For(["a.example"], "b.example", "http://127.0.0.1:1"));
        Assert.Equal(["b.example", "c.example"], AllowedHosts.For(null, " b.example ; c.example ", "http://127.0.0.1:1"));
        Assert.Equal(["localhost", "127.0.0.1", "[::1]"], AllowedHosts.For([], "", "http://127.0.0.1:1"));
        Assert.Equal(["*"], AllowedHosts.For(null, null, "http://0.0.0.0:1"));
    }
}
