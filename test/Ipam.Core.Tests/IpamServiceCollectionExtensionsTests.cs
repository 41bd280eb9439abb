using Ipam.Allocations;
using Ipam.Scopes;
using Ipam.Storage;
using Ipam.SubnetPools;
using Ipam.Subnets;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Tests;

public sealed class IpamServiceCollectionExtensionsTests
{
    [Fact]
    public void AddIpam_NothingRegisteredBefore_UsesTheSystemClock()
    {
        using var provider = new ServiceCollection().AddIpam().Services.BuildServiceProvider();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Same(SeededRandomSource.Shared, provider.GetRequiredService<IRandomSource>());
    }

    [Fact]
    public void AddIpam_TimeAndRandomRegisteredBefore_TheirsWin()
    {
        var time = new StoppedClock();
        var random = new SeededRandomSource(7);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddSingleton<IRandomSource>(random);

        using var provider = services.AddIpam().Services.BuildServiceProvider();

        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.Same(random, provider.GetRequiredService<IRandomSource>());
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void AddIpam_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddIpam();
        var once = services.Count;
        services.AddIpam();

        Assert.Equal(once, services.Count);
        foreach (var type in new[] { typeof(AllocationService), typeof(SubnetService), typeof(SubnetPoolService), typeof(AddressScopeService) })
        {
            Assert.Single(services, d => d.ServiceType == type && d.Lifetime == ServiceLifetime.Singleton);
        }
    }

    [Fact]
    public void AddIpam_WithoutStore_ResolvingAServiceNamesTheMissingStore()
    {
        using var provider = new ServiceCollection().AddIpam().Services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<SubnetService>);

        Assert.Contains(nameof(IIpamStore), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIpam_ServicesSharingACache_GetTheSameInstance()
    {
        using var provider = new ServiceCollection().AddIpam().Services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<FreeSpaceCache>(), provider.GetRequiredService<FreeSpaceCache>());
        Assert.Same(provider.GetRequiredService<PrefixIndexCache>(), provider.GetRequiredService<PrefixIndexCache>());
    }

    private sealed class StoppedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    }
}
