using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;

namespace Ipam.Benchmarks.Harness;

/// <summary>Instances on one database, asked in turn (round-robin), each request going to the next one.</summary>
internal sealed class InstanceSet(List<IpamInstance> instances) : IAsyncDisposable
{
    private int _next;

    public int Count => instances.Count;

    public Guid SubnetId { get; private set; }

    /// <summary>Addresses allocated in <see cref="SubnetId"/> so far.</summary>
    public long Allocated { get; private set; }

    public string Describe() => Count == 1 ? "1" : $"{Count}, round-robin";

    public async Task WarmUpAsync()
    {
        var warm = await instances[0].CreateSubnetAsync("192.0.2.0/24", "warm-up");
        for (var i = 0; i < 200; i++)
        {
            await Next().Allocations.AllocateAsync(warm.Id, new AllocationRequest { Owner = "warm-up" });
        }
    }

    public async Task CreateSubnetAsync(Cidr cidr) => SubnetId = (await instances[0].CreateSubnetAsync(cidr.ToString())).Id;

    /// <summary>Allocates <paramref name="count"/> addresses one request each; returns the seconds it took.</summary>
    public async Task<double> AllocateAsync(int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await Next().Allocations.AllocateAsync(SubnetId, new AllocationRequest { Owner = "bench" });
        }

        Allocated += count;
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Bulk requests (untimed, round-robin) until <paramref name="target"/> addresses are allocated, ending with one
    /// single request per instance, so that every instance's index has caught up with the bulk before timing.
    /// </summary>
    public async Task FillToAsync(long target)
    {
        var bulkTarget = target - instances.Count;
        while (Allocated < bulkTarget)
        {
            var take = (int)Math.Min(bulkTarget - Allocated, IpamInstance.MaxBulk);
            await Next().Allocations.AllocateAsync(SubnetId, new AllocationRequest { Count = take, Owner = "fill" });
            Allocated += take;
        }

        await AllocateAsync((int)(target - Allocated));
    }

    /// <summary>Asks for one address until <paramref name="count"/> refusals or <paramref name="duration"/>; returns the refusals.</summary>
    public async Task<int> RefuseAsync(int count, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var refused = 0;
        while (refused < count && watch.Elapsed < duration)
        {
            try
            {
                await Next().Allocations.AllocateAsync(SubnetId, new AllocationRequest { Owner = "refused" });
                throw new InvalidOperationException("An allocation on the full subnet succeeded.");
            }
            catch (PoolExhaustedException)
            {
                refused++;
            }
        }

        return refused;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }
    }

    private IpamInstance Next() => instances[(int)((uint)Interlocked.Increment(ref _next) % (uint)instances.Count)];
}
