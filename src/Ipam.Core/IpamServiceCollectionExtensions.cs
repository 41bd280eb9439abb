using Ipam;
using Ipam.Allocations.Strategies;
using Ipam.Caching;
using Ipam.History;
using Ipam.Import;
using Ipam.Maps;
using Ipam.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class IpamServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Ipam domain services as singletons, with the system clock and an unseeded random source.
    /// Everything is added with <c>TryAdd</c>, so a <see cref="TimeProvider"/> or <see cref="IRandomSource"/>
    /// registered before wins. A store must be added too (<c>AddSqliteStore</c>, <c>AddPostgresStore</c>, or any
    /// <see cref="IIpamStore"/>); the container creates and disposes it.
    /// </summary>
    public static IIpamBuilder AddIpam(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomSource>(SeededRandomSource.Shared);
        services.TryAddSingleton<ICallerContext, AnonymousCaller>();
        services.TryAddSingleton<ChangeSignal>();
        services.TryAddSingleton<ChangeLog>();
        services.TryAddSingleton(new IpamCacheOptions());

        // One cache of each per process: the services that read and write the same subnets and pools share them.
        services.TryAddSingleton<FreeSpaceCache>();
        services.TryAddSingleton<PrefixIndexCache>();
        services.TryAddSingleton<PrefixAllocator>();

        // The services' constructors take internal caches, so the container cannot call them itself.
        services.TryAddSingleton(p => new AllocationService(
            p.Get<IIpamStore>(), p.Get<FreeSpaceCache>(), p.Get<ChangeLog>(), p.Get<IRandomSource>(), p.Get<TimeProvider>(), p.GetServices<IAllocationStrategy>()));
        services.TryAddSingleton(p => new SubnetService(
            p.Get<IIpamStore>(), p.Get<FreeSpaceCache>(), p.Get<PrefixAllocator>(), p.Get<ChangeLog>(), p.Get<TimeProvider>()));
        services.TryAddSingleton(p => new SubnetPoolService(p.Get<IIpamStore>(), p.Get<PrefixIndexCache>(), p.Get<ChangeLog>(), p.Get<TimeProvider>()));
        services.TryAddSingleton(p => new AddressScopeService(p.Get<IIpamStore>(), p.Get<ChangeLog>(), p.Get<TimeProvider>()));
        services.TryAddSingleton(p => new TokenService(p.Get<IIpamStore>(), p.Get<ChangeLog>(), p.Get<TimeProvider>()));
        services.TryAddSingleton<HistoryService>();
        services.TryAddSingleton(p => new AddressMapService(p.Get<IIpamStore>(), p.Get<FreeSpaceCache>(), p.Get<ICallerContext>()));
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<UsageCheckService>();
        services.TryAddSingleton(p => new ImportService(
            p.Get<IIpamStore>(), p.Get<FreeSpaceCache>(), p.Get<PrefixIndexCache>(), p.Get<PrefixAllocator>(), p.Get<ChangeLog>(), p.Get<ICallerContext>(),
            p.Get<TimeProvider>()));
        return new IpamBuilder(services);
    }

    private static T Get<T>(this IServiceProvider provider)
        where T : notnull => provider.GetRequiredService<T>();
}
