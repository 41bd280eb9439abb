namespace Ipam.Subnets;

/// <summary>
/// The addressing rules of a subnet, written once: which addresses are hosts, the default gateway and pools,
/// and the validation of caller-supplied gateways and pools.
/// </summary>
/// <remarks>
/// IPv4 loses the network and broadcast addresses; IPv6 loses only the subnet-router anycast (network)
/// address from the default pools and keeps the all-ones address. The two longest prefixes of each family
/// (/31, /32, /127, /128) are point-to-point or host routes: every address is usable and there is no
/// default gateway (RFC 3021, RFC 6164).
/// </remarks>
internal static class SubnetRules
{
    /// <summary>The most allocation-pool ranges a subnet may have; usage and free-space rebuilds read every one.</summary>
    public const int MaxAllocationPools = 1000;

    /// <summary>The addresses that may appear in an allocation pool.</summary>
    public static AddressRange UsableRange(Cidr cidr)
    {
        if (cidr.Family.IsPointToPoint(cidr.PrefixLength))
        {
            return cidr.Range;
        }

        var last = cidr.Family.HasBroadcast ? cidr.Last.Value - 1 : cidr.Last.Value;
        return new AddressRange(cidr.First.Add(1), new IpAddress(cidr.Version, last));
    }

    /// <summary>
    /// Refuses to choose an address (by strategy or as asked) on a subnet whose hosts configure their own
    /// EUI-64 address from their MAC: there only mac_address requests make sense.
    /// </summary>
    public static void CheckAddressesChosenByIpam(Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (subnet.Ipv6AddressMode.IsAutoconfigured())
        {
            throw new AddressModeConflictException(subnet.Ipv6AddressMode!.Value.ToWire(),
                $"Subnet {subnet.Cidr} uses {subnet.Ipv6AddressMode.Value.ToWire()}: hosts take EUI-64 addresses, so only mac_address requests are allowed.");
        }
    }

    /// <summary>Refuses an address mode whose hosts take EUI-64 addresses on a prefix other than a /64.</summary>
    public static void CheckAddressModePrefix(Cidr cidr, Ipv6AddressMode? mode)
    {
        if (mode.IsAutoconfigured() && cidr.PrefixLength != Eui64.RequiredPrefixLength)
        {
            throw ValidationException.InvalidRequest("cidr",
                $"ipv6_address_mode {mode!.Value.ToWire()} needs a /64 prefix (EUI-64 addresses), not /{cidr.PrefixLength}.");
        }
    }

    /// <summary>
    /// Refuses an address already chosen (as an import's are) that no mac_address request could have given on a subnet
    /// whose hosts configure their own EUI-64 address from their MAC.
    /// </summary>
    public static void CheckAutoconfiguredAddress(Subnet subnet, IpAddress address)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (subnet.Ipv6AddressMode.IsAutoconfigured() && !Eui64.IsFormedIn(subnet.Cidr, address))
        {
            throw new AddressModeConflictException(subnet.Ipv6AddressMode!.Value.ToWire(),
                $"Subnet {subnet.Cidr} uses {subnet.Ipv6AddressMode.Value.ToWire()}: hosts take EUI-64 addresses, and {address} is not one (its interface id has no ff:fe in the middle).");
        }
    }

    /// <summary>The first host address, or none on point-to-point and host prefixes.</summary>
    public static IpAddress? DefaultGateway(Cidr cidr) =>
        cidr.Family.IsPointToPoint(cidr.PrefixLength) ? null : cidr.First.Add(1);

    /// <summary>The usable range minus the gateway, split around it when it falls inside.</summary>
    public static IReadOnlyList<AddressRange> DefaultPools(Cidr cidr, IpAddress? gateway)
    {
        var pools = RangeSet.Of(UsableRange(cidr));
        if (gateway is { } g)
        {
            pools = pools.Except(g);
        }

        return pools.Ranges;
    }

    /// <summary>Throws when a specific address may not be allocated in <paramref name="subnet"/>.</summary>
    public static void CheckSpecificAddress(Subnet subnet, IpAddress address, bool allowGateway)
    {
        var cidr = subnet.Cidr;
        if (!cidr.Contains(address))
        {
            throw new AddressOutsideSubnetException(address, cidr);
        }

        if (cidr.Family.HasBroadcast && !cidr.Family.IsPointToPoint(cidr.PrefixLength))
        {
            if (address == cidr.First)
            {
                throw new AddressReservedException(address, AddressReservedException.NetworkAddress);
            }

            if (address == cidr.Last)
            {
                throw new AddressReservedException(address, AddressReservedException.BroadcastAddress);
            }
        }

        if (!allowGateway && subnet.Gateway == address)
        {
            throw new AddressReservedException(address, AddressReservedException.GatewayAddress);
        }
    }

    /// <summary>Errors of a gateway for <paramref name="cidr"/>; empty when it is acceptable.</summary>
    /// <remarks>A gateway outside the CIDR is accepted as an on-link gateway, as Neutron does.</remarks>
    public static IReadOnlyList<string> GatewayErrors(Cidr cidr, IpAddress gateway)
    {
        if (gateway.Version != cidr.Version)
        {
            return [$"Gateway {gateway} is not an IPv{(int)cidr.Version} address."];
        }

        if (cidr.Family.HasBroadcast && !cidr.Family.IsPointToPoint(cidr.PrefixLength))
        {
            if (gateway == cidr.First)
            {
                return [$"Gateway {gateway} is the network address of {cidr}."];
            }

            if (gateway == cidr.Last)
            {
                return [$"Gateway {gateway} is the broadcast address of {cidr}."];
            }
        }

        return [];
    }

    /// <summary>
    /// Every problem with a list of allocation pools: their number, family, order, bounds (inside the usable range
    /// of the CIDR), the gateway, and overlaps between pools. Empty when the pools are acceptable.
    /// </summary>
    public static IReadOnlyList<string> PoolErrors(Cidr cidr, IpAddress? gateway, IReadOnlyList<AllocationPoolBounds> pools)
    {
        if (pools.Count > MaxAllocationPools)
        {
            return [$"A subnet has at most {MaxAllocationPools} allocation pools, not {pools.Count}."];
        }

        var errors = new List<string>();
        var usable = UsableRange(cidr);
        var valid = new List<AddressRange>();
        foreach (var (start, end) in pools)
        {
            var label = $"{start}-{end}";
            if (start.Version != cidr.Version || end.Version != cidr.Version)
            {
                errors.Add($"Pool {label} is not IPv{(int)cidr.Version} like {cidr}.");
                continue;
            }

            if (start > end)
            {
                errors.Add($"Pool {label} starts after it ends.");
                continue;
            }

            var range = new AddressRange(start, end);
            if (!cidr.Contains(range))
            {
                errors.Add($"Pool {label} is not inside {cidr}.");
                continue;
            }

            if (!usable.Contains(start) || !usable.Contains(end))
            {
                var what = cidr.Family.HasBroadcast ? "network or broadcast address" : "network address";
                errors.Add($"Pool {label} includes the {what} of {cidr}; pools must lie within {usable}.");
                continue;
            }

            if (gateway is { } g && range.Contains(g))
            {
                errors.Add($"Pool {label} includes the gateway {g}.");
                continue;
            }

            valid.Add(range);
        }

        valid.Sort((a, b) => a.First.CompareTo(b.First));
        for (int i = 1, widest = 0; i < valid.Count; i++)
        {
            if (valid[i].First <= valid[widest].Last)
            {
                errors.Add($"Pools {valid[widest]} and {valid[i]} overlap.");
            }

            if (valid[i].Last > valid[widest].Last)
            {
                widest = i;
            }
        }

        return errors;
    }
}
