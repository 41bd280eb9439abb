using Ipam.Allocations;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Api.Tests.Instances;

/// <summary>The free-space index one instance holds for a subnet, looked up without building one.</summary>
internal static class CachedIndex
{
    /// <summary>The cached index of the subnet's current revision on that instance, or null when there is none.</summary>
    public static Task<FreeSpace?> OfAsync(IServiceProvider instance, string subnetId)
    {
        var id = Guid.Parse(subnetId);
        var cache = instance.GetRequiredService<FreeSpaceCache>();
        return instance.GetRequiredService<IIpamStore>().ReadAsync(async (session, ct) =>
        {
            var subnet = await session.FindSubnetAsync(id, RowLock.None, ct);
            return subnet is not null && cache.TryGetSubnet(id, subnet.Revision, out var cached)
                ? await cache.GetAsync(session, cached, ct)
                : null;
        });
    }
}
