using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ipam.Storage.Sql;

/// <summary>How both SQL stores plug into <c>AddIpam</c>: options configured, validated at start, then the store.</summary>
internal static class StoreRegistration
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/> (configured by <paramref name="configure"/>, checked by
    /// <typeparamref name="TValidator"/> when the host starts) and, unless a store is registered already, the
    /// store <paramref name="create"/> makes from them; the container owns the store and disposes it.
    /// </summary>
    public static IIpamBuilder Add<TOptions, TValidator>(
        IIpamBuilder ipam, Action<OptionsBuilder<TOptions>> configure, Func<TOptions, IIpamStore> create)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(ipam);
        configure(ipam.Services.AddOptions<TOptions>().ValidateOnStart());
        ipam.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        ipam.Services.TryAddSingleton(provider => create(provider.GetRequiredService<IOptions<TOptions>>().Value));
        return ipam;
    }
}
