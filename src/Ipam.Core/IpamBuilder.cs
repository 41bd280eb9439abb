using Microsoft.Extensions.DependencyInjection;

namespace Ipam;

internal sealed class IpamBuilder(IServiceCollection services) : IIpamBuilder
{
    public IServiceCollection Services { get; } = services;
}
