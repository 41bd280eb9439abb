using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ipam.Storage.Sql;

/// <summary>
/// How both SQL stores plug into <c>AddIpam</c>: their options bound or configured, checked by
/// <typeparamref name="TValidator"/> when the host starts, then (unless a store is registered already) the
/// store made from them, which the container owns and disposes.
/// </summary>
internal static class StoreRegistration<TOptions, TValidator>
    where TOptions : class
    where TValidator : class, IValidateOptions<TOptions>
{
    public static IIpamBuilder Add(IIpamBuilder ipam, IConfiguration configuration, Func<TOptions, IIpamStore> create)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(ipam, options => options.Bind(configuration), create);
    }

    public static IIpamBuilder Add(IIpamBuilder ipam, Action<TOptions> configure, Func<TOptions, IIpamStore> create)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(ipam, options => options.Configure(configure), create);
    }

    private static IIpamBuilder Add(IIpamBuilder ipam, Action<OptionsBuilder<TOptions>> configure, Func<TOptions, IIpamStore> create)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        configure(ipam.Services.AddOptions<TOptions>().ValidateOnStart());
        ipam.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        ipam.Services.TryAddSingleton(provider => create(provider.GetRequiredService<IOptions<TOptions>>().Value));
        return ipam;
    }
}
