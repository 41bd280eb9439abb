using Ipam.Subnets;

namespace Ipam.Api.Subnets;

internal static class SubnetMapping
{
    public static SubnetDto ToDto(this SubnetView view)
    {
        var (subnet, usage) = view;
        return new SubnetDto(
            subnet.Id,
            subnet.Cidr.ToString(),
            (int)subnet.Version,
            subnet.Gateway?.ToString(),
            [.. subnet.AllocationPools.Select(p => new PoolDto(p.First.ToString(), p.Last.ToString()))],
            subnet.SubnetPoolId,
            subnet.Ipv6AddressMode?.ToWire(),
            subnet.TenantId,
            subnet.Name,
            new UsageDto(usage.Total, usage.Allocated, usage.Free, usage.OutsidePools),
            subnet.CreatedAt,
            subnet.ReuseCooldownSeconds);
    }

    public static CreateSubnetCommand ToCommand(this CreateSubnetBody body)
    {
        if (body.SubnetPoolId is null && body.Prefixlen is not null)
        {
            throw ValidationException.InvalidRequest("prefixlen", "prefixlen needs a subnet_pool_id to allocate the prefix from.");
        }

        Ipv6AddressMode? mode = null;
        if (body.Ipv6AddressMode is { } modeText)
        {
            mode = Ipv6AddressModes.TryParse(modeText, out var parsed)
                ? parsed
                : throw ValidationException.InvalidRequest("ipv6_address_mode",
                    $"ipv6_address_mode must be one of {Ipv6AddressModes.Slaac}, {Ipv6AddressModes.Dhcpv6Stateful}, {Ipv6AddressModes.Dhcpv6Stateless}.");
        }

        return new CreateSubnetCommand
        {
            Id = body.Id,
            // From a pool the cidr is optional: given, it asks for that specific prefix of the pool.
            Cidr = body.SubnetPoolId is not null && body.Cidr is null ? null : Input.Cidr("cidr", body.Cidr),
            SubnetPoolId = body.SubnetPoolId,
            PrefixLength = body.Prefixlen,
            Gateway = Gateway(body.GatewayIp),
            AllocationPools = Pools(body.AllocationPools),
            Ipv6AddressMode = mode,
            Name = Input.Text("name", body.Name),
            TenantId = Input.TenantId("tenant_id", body.TenantId),
            ReuseCooldownSeconds = body.ReuseCooldownSeconds ?? 0,
        };
    }

    public static UpdateSubnetCommand ToCommand(this UpdateSubnetBody body) => new()
    {
        Name = Input.ClearableText("name", body.Name),
        Gateway = Gateway(body.GatewayIp),
        AllocationPools = body.AllocationPoolsGiven ? new Optional<IReadOnlyList<AllocationPoolBounds>?>(Pools(body.AllocationPools)) : default,
        ReuseCooldownSeconds = body.ReuseCooldownSecondsGiven ? body.ReuseCooldownSeconds ?? 0 : null,
    };

    private static Optional<IpAddress?> Gateway(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => default,
        JsonValueKind.Null => new Optional<IpAddress?>(null),
        JsonValueKind.String => new Optional<IpAddress?>(Input.Address("gateway_ip", Input.JsonString("gateway_ip", element))),
        _ => throw ValidationException.InvalidRequest("gateway_ip", "gateway_ip must be an IP address string or null."),
    };

    private static List<AllocationPoolBounds>? Pools(IReadOnlyList<PoolDto?>? pools) =>
        pools?.Select((p, i) => p is null
            ? throw ValidationException.InvalidRequest($"allocation_pools[{i}]", $"allocation_pools[{i}] must be an object with start and end, not null.")
            : new AllocationPoolBounds(
                Input.Address($"allocation_pools[{i}].start", p.Start),
                Input.Address($"allocation_pools[{i}].end", p.End))).ToList();
}
