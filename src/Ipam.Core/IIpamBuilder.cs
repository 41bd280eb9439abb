using Microsoft.Extensions.DependencyInjection;

namespace Ipam;

/// <summary>
/// What <see cref="IpamServiceCollectionExtensions.AddIpam"/> returns: the place where a store plugs in,
/// as in <c>services.AddIpam().AddSqliteStore(...)</c>.
/// </summary>
public interface IIpamBuilder
{
    IServiceCollection Services { get; }
}
