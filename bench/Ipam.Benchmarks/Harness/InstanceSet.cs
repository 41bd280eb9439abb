using System.Diagnostics;
using Ipam.Addressing;
using Ipam.Allocations;
using Ipam.Errors;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// Instances asked in turn (round-robin), each request going to the next one: on one database, all in one subnet; or
/// (<paramref name="ownDatabases"/>) each on a database of its own, in a subnet of its own, so that they share
/// nothing but the machine.
/// </summary>
internal sealed class InstanceSet(List<IpamInstance> instances, bool ownDatabases = false) : IAsyncDisposable
{
    private readonly Dictionary<IpamInstance, Guid> _subnets = [];
    private readonly Dictionary<Guid, long> _allocated = [];
    private int _next;

    private const int WarmUpRequestsPerInstance = 300;

    public int Count => instances.Count;

    public string Describe() => (Count, ownDatabases) switch
    {
        (1, _) => "1",
        (_, false) => $"{Count}, round-robin",
        _ => $"{Count}, round-robin, a database each",
    };

    /// <summary>
    /// Allocates <see cref="WarmUpRequestsPerInstance"/> single addresses through every instance, in turn, in a subnet
    /// of its own: each instance's connections, prepared statements and server backends are as warm as one instance's
    /// alone, whatever the number of instances.
    /// </summary>
    public async Task WarmUpAsync()
    {
        var warm = new Dictionary<IpamInstance, Guid>();
        foreach (var instance in ownDatabases ? instances : instances.Take(1))
        {
            warm[instance] = (await instance.CreateSubnetAsync("198.18.0.0/20", "warm-up")).Id;
        }

        for (var i = 0; i < WarmUpRequestsPerInstance * Count; i++)
        {
            var instance = Next();
            await instance.Allocations.AllocateAsync(warm.GetValueOrDefault(instance, warm[instances[0]]), new AllocationRequest { Owner = "warm-up" });
        }
    }

    public async Task CreateSubnetAsync(Cidr cidr)
    {
        foreach (var instance in instances)
        {
            var id = ownDatabases || instance == instances[0] ? (await instance.CreateSubnetAsync(cidr.ToString())).Id : _subnets[instances[0]];
            _subnets[instance] = id;
            _allocated[id] = 0;
        }
    }

    /// <summary>Allocates <paramref name="count"/> addresses one request each; returns the seconds it took.</summary>
    public async Task<double> AllocateAsync(int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var instance = Next();
            await instance.Allocations.AllocateAsync(_subnets[instance], new AllocationRequest { Owner = "bench" });
            _allocated[_subnets[instance]]++;
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Bulk requests (untimed, round-robin) until every subnet holds <paramref name="target"/> addresses, ending with
    /// one single request per instance, so that every instance's index has caught up with the bulk before timing.
    /// </summary>
    public async Task FillToAsync(long target)
    {
        var bulkTarget = target - (ownDatabases ? 1 : instances.Count);
        while (_allocated.Values.Min() < bulkTarget)
        {
            var instance = Next();
            var subnet = _subnets[instance];
            var take = (int)Math.Min(bulkTarget - _allocated[subnet], IpamInstance.MaxBulk);
            if (take > 0)
            {
                await instance.Allocations.AllocateAsync(subnet, new AllocationRequest { Count = take, Owner = "fill" });
                _allocated[subnet] += take;
            }
        }

        while (_allocated.Values.Min() < target)
        {
            var instance = Next();
            if (_allocated[_subnets[instance]] < target)
            {
                await instance.Allocations.AllocateAsync(_subnets[instance], new AllocationRequest { Owner = "fill" });
                _allocated[_subnets[instance]]++;
            }
        }
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
                var instance = Next();
                await instance.Allocations.AllocateAsync(_subnets[instance], new AllocationRequest { Owner = "refused" });
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
