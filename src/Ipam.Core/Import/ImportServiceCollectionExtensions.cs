using Ipam.Allocations;
using Ipam.Changes;
using Ipam.Import;
using Ipam.Storage;
using Ipam.SubnetPools;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ImportServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ImportService"/>; call after <c>AddIpam</c>, whose caches it shares.</summary>
    public static IServiceCollection AddIpamImport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new ImportService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<FreeSpaceCache>(),
            provider.GetRequiredService<PrefixIndexCache>(),
            provider.GetRequiredService<PrefixAllocator>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<ICallerContext>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
