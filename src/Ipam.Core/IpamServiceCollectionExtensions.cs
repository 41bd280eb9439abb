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
        services.TryAddSingleton(provider => new AllocationService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<FreeSpaceCache>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<IRandomSource>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<IAllocationStrategy>()));
        services.TryAddSingleton(provider => new SubnetService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<FreeSpaceCache>(),
            provider.GetRequiredService<PrefixAllocator>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new SubnetPoolService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<PrefixIndexCache>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new AddressScopeService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new TokenService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<HistoryService>();
        services.TryAddSingleton(provider => new AddressMapService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<FreeSpaceCache>(),
            provider.GetRequiredService<ICallerContext>()));
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<UsageCheckService>();
        services.TryAddSingleton(provider => new ImportService(
            provider.GetRequiredService<IIpamStore>(),
            provider.GetRequiredService<FreeSpaceCache>(),
            provider.GetRequiredService<PrefixIndexCache>(),
            provider.GetRequiredService<PrefixAllocator>(),
            provider.GetRequiredService<ChangeLog>(),
            provider.GetRequiredService<ICallerContext>(),
            provider.GetRequiredService<TimeProvider>()));
        return new IpamBuilder(services);
    }
}
