namespace Ipam.Allocations;

/// <summary>
/// Allocations of the address a request names, or of the EUI-64 address of its MAC address. A subnet this instance
/// kept from an earlier request serves if the insert confirms its revision (one round trip with the insert); a
/// refusal is judged on the subnet as loaded now only.
/// </summary>
public sealed partial class AllocationService
{
    /// <summary>
    /// The request's allocation, or the result its key remembers: <paramref name="keyWithInsert"/>, when given, is looked
    /// for here, with the insert where a kept subnet takes the request; otherwise the caller has looked for the key.
    /// </summary>
    private async ValueTask<AskedOutcome> AllocateAsAskedAsync(
        IIpamSession session, Guid subnetId, AllocationRequest request, DateTimeOffset now, KeyLookup? keyWithInsert, CancellationToken ct)
    {
        if (KeptSubnetTaking(subnetId, request) is ({ } kept, { } keptAddress))
        {
            var made = await InsertSpecificAsync(session, kept, keptAddress, request, now, kept.Revision, keyWithInsert, ct).ConfigureAwait(false);
            if (made.Replay is not null || made.Allocation is not null)
            {
                return new AskedOutcome(kept, made.Allocation is { } allocation ? [allocation] : [], made.Replay);
            }
        }

        if (keyWithInsert is { } key && await FindReplayAsync(session, subnetId, key.Key, key.Fingerprint, ct).ConfigureAwait(false) is { } replay)
        {
            return new AskedOutcome(null, [], replay);
        }

        var subnet = await LoadSubnetAsync(session, subnetId, ct).ConfigureAwait(false);
        var address = AddressAsAsked(subnet, request);
        var inserted = await InsertSpecificAsync(session, subnet, address, request, now, subnetRevision: null, keyWithInsert: null, ct).ConfigureAwait(false);
        return new AskedOutcome(subnet, [inserted.Allocation ?? throw new InvalidOperationException("An insert that checks no revision found the subnet changed.")], null);
    }

    /// <summary>
    /// The subnet as this instance last loaded it, with the address the request asks for there, if the caller sees
    /// it and it would take the request; otherwise nothing, and the subnet is loaded (a refusal, or what the caller
    /// may not see, is judged on the current subnet).
    /// </summary>
    private (Subnet? Subnet, IpAddress? Address) KeptSubnetTaking(Guid subnetId, AllocationRequest request)
    {
        if ((!cache.TryGetLatestSubnet(subnetId, out var kept) && !cache.TryGetLoadedSubnet(subnetId, out kept)) || !changes.Access.Sees(kept.TenantId))
        {
            return (null, null);
        }

        try
        {
            return (kept, AddressAsAsked(kept, request));
        }
        catch (IpamException)
        {
            return (null, null);
        }
    }

    /// <summary>The address the request asks for in <paramref name="subnet"/>, or the refusal of it there.</summary>
    private static IpAddress AddressAsAsked(Subnet subnet, AllocationRequest request)
    {
        if (request.MacAddress is not { } mac)
        {
            var named = request.Address!.Value;
            SubnetRules.CheckAddressesChosenByIpam(subnet);
            SubnetRules.CheckSpecificAddress(subnet, named, request.AllowGateway);
            return named;
        }

        if (subnet.Version != IpVersion.V6 || subnet.Cidr.PrefixLength != Eui64.RequiredPrefixLength)
        {
            throw new AddressModeConflictException(subnet.Ipv6AddressMode?.ToWire(),
                $"EUI-64 addresses need an IPv6 /64 subnet; {subnet.Cidr} is not one.");
        }

        var address = Eui64.AddressFor(subnet.Cidr, mac);
        if (subnet.Gateway == address)
        {
            // allow_gateway goes with ip_address only, and an autoconfigured subnet takes no ip_address request.
            throw new AddressReservedException(address, AddressReservedException.GatewayOfMacAddress);
        }

        SubnetRules.CheckSpecificAddress(subnet, address, request.AllowGateway);
        return address;
    }

    /// <summary>
    /// The allocation of <paramref name="address"/>, made now; none, having inserted nothing, when
    /// <paramref name="subnetRevision"/> is given and the subnet is no longer at it, or when
    /// <paramref name="keyWithInsert"/>, looked for with the insert, has a record: then its result, to answer with.
    /// </summary>
    private async ValueTask<(Allocation? Allocation, IReadOnlyList<Allocation>? Replay)> InsertSpecificAsync(
        IIpamSession session, Subnet subnet, IpAddress address, AllocationRequest request, DateTimeOffset now, long? subnetRevision,
        KeyLookup? keyWithInsert, CancellationToken ct)
    {
        var indexBefore = cache.Cached(subnet.Id);
        var allocation = NewAllocation(subnet.Id, address, request, now);
        AllocationInsert outcome;
        bool endedLater;
        if (keyWithInsert is { } key)
        {
            (outcome, endedLater, var earlier) = await session.TryInsertAllocationUnlessKeyedThenAskEndedLaterAsync(
                allocation, subnetRevision, changes.Actor, key.Key, ct).ConfigureAwait(false);
            if (ReplayOf(earlier, key.Key, key.Fingerprint) is { } replay)
            {
                return (null, replay);
            }
        }
        else
        {
            (outcome, endedLater) = await session.TryInsertAllocationThenAskEndedLaterAsync(allocation, subnetRevision, ct).ConfigureAwait(false);
        }

        if (outcome == AllocationInsert.SubnetChanged)
        {
            return (null, null);
        }

        if (outcome == AllocationInsert.AddressTaken)
        {
            // The subnet is current from here on: the insert confirmed its revision, or the caller loaded it.
            var holder = await session.FindAllocationAsync(subnet.Id, address, ct).ConfigureAwait(false);
            if (holder?.ExpiresAt is not { } expiry || expiry > now)
            {
                throw new AddressInUseException(address, holder?.Owner);
            }

            // The holder's reservation ran out before the sweeper got to it: the address is free.
            if (await session.DeleteAllocationAsync(subnet.Id, address, ct).ConfigureAwait(false) is { } expired)
            {
                changes.AllocationEnded(session, subnet, expired, ReleaseReasons.Expired, now);
            }

            (outcome, endedLater) = await session.TryInsertAllocationThenAskEndedLaterAsync(allocation, subnetRevision, ct).ConfigureAwait(false);
            if (outcome != AllocationInsert.Inserted)
            {
                throw new AddressInUseException(address, null);
            }
        }

        cache.Allocated(session, subnet, address, indexBefore);
        return (endedLater ? await DatedAtLastEndAsync(session, allocation, ct).ConfigureAwait(false) : allocation, null);
    }

    /// <summary>
    /// The allocation, dated at the end of the address's last allocation, which the insert's question found later than
    /// its time: its history then never shows two holders at once. The end may have been made by a transaction that
    /// committed while the insert waited for its row (which a read before the insert does not see), or dated by
    /// another instance's clock, or by this one before it was set back.
    /// </summary>
    private static async ValueTask<Allocation> DatedAtLastEndAsync(IIpamSession session, Allocation allocation, CancellationToken ct)
    {
        var lastEnd = await session.ListAllocationEndsAsync(allocation.SubnetId, allocation.Address, long.MaxValue, 1, ct).ConfigureAwait(false);
        if (lastEnd.Count == 0 || lastEnd[0].At <= allocation.CreatedAt)
        {
            return allocation;
        }

        await session.RedateAllocationAsync(allocation.SubnetId, allocation.Address, lastEnd[0].At, ct).ConfigureAwait(false);
        return allocation with { CreatedAt = lastEnd[0].At };
    }

    /// <summary>A request's <c>Idempotency-Key</c> and the fingerprint of what it asks.</summary>
    private sealed record KeyLookup(string Key, string Fingerprint);

    /// <summary>What a request for a named address made (in <paramref name="Subnet"/>), or the result its key remembers.</summary>
    private sealed record AskedOutcome(Subnet? Subnet, IReadOnlyList<Allocation> Allocations, IReadOnlyList<Allocation>? Replay);
}
