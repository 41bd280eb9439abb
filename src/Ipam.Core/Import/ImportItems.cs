namespace Ipam.Import;

/// <summary>Turns the items of an <see cref="ImportDocument"/> into domain records, checked by the services' own rules.</summary>
internal sealed class ImportItems(CallerAccess access, DateTimeOffset now)
{
    public AddressScope Scope(ImportedAddressScope scope)
    {
        var errors = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(scope.Name))
        {
            SubnetPoolRules.Add(errors, "name", "name is required.");
        }

        var version = Version(scope.IpVersion, errors);
        SubnetPoolRules.ThrowIfAny(errors, "The address scope is invalid.");
        return new AddressScope
        {
            Id = Id(scope.Id),
            Name = FreeText.Check("name", scope.Name)!,
            Version = version,
            TenantId = access.TenantOf(TenantIds.Check("tenant_id", scope.TenantId)),
            CreatedAt = now,
        };
    }

    public SubnetPool Pool(ImportedSubnetPool pool) =>
        SubnetPoolService.Build(
            new CreateSubnetPoolCommand
            {
                Name = FreeText.Check("name", pool.Name),
                Prefixes = [.. (pool.Prefixes ?? []).Select((p, i) => p is null
                    ? throw ValidationException.InvalidRequest($"prefixes[{i}]", $"prefixes[{i}] must be a CIDR string, not null.")
                    : Cidr(p, $"prefixes[{i}]"))],
                DefaultPrefixLength = pool.DefaultPrefixlen,
                MinPrefixLength = pool.MinPrefixlen,
                MaxPrefixLength = pool.MaxPrefixlen,
                DefaultQuota = pool.DefaultQuota,
                AddressScopeId = pool.AddressScopeId,
            },
            Id(pool.Id),
            access.TenantOf(TenantIds.Check("tenant_id", pool.TenantId)),
            now);

    public Subnet Subnet(ImportedSubnet subnet)
    {
        var cidr = Cidr(subnet.Cidr, "cidr");
        Ipv6AddressMode? mode = null;
        if (subnet.Ipv6AddressMode is not null)
        {
            mode = Ipv6AddressModes.TryParse(subnet.Ipv6AddressMode, out var parsed) && cidr.Version == IpVersion.V6
                ? parsed
                : throw ValidationException.InvalidRequest("ipv6_address_mode", $"'{subnet.Ipv6AddressMode}' is not an address mode of an IPv6 subnet.");
            SubnetRules.CheckAddressModePrefix(cidr, mode);
        }

        // null, as on create and PATCH: no cooldown.
        var cooldown = subnet.ReuseCooldownSeconds ?? 0;
        ReuseCooldown.Check(cooldown);
        IpAddress? gateway = subnet.GatewayIp is null ? null : Address(subnet.GatewayIp, "gateway_ip");
        if (gateway is { } g)
        {
            Throw(ErrorCodes.InvalidGateway, "gateway_ip", SubnetRules.GatewayErrors(cidr, g));
        }

        // Left out, as when a subnet is created: the default pools. An export always writes them out.
        var pools = subnet.AllocationPools is null
            ? [.. SubnetRules.DefaultPools(cidr, gateway).Select(r => new AllocationPoolBounds(r.First, r.Last))]
            : subnet.AllocationPools.Select((p, i) => p is null
                ? throw ValidationException.InvalidRequest($"allocation_pools[{i}]", $"allocation_pools[{i}] must be a {{start, end}} object, not null.")
                : new AllocationPoolBounds(Address(p.Start, "allocation_pools"), Address(p.End, "allocation_pools"))).ToList();
        Throw(ErrorCodes.InvalidAllocationPools, "allocation_pools", SubnetRules.PoolErrors(cidr, gateway, pools));
        return new Subnet
        {
            Id = Id(subnet.Id),
            Cidr = cidr,
            Gateway = gateway,
            AllocationPools = [.. pools.Select(p => new AddressRange(p.Start, p.End)).OrderBy(r => r.First)],
            Ipv6AddressMode = mode,
            Name = FreeText.Check("name", subnet.Name),
            TenantId = access.TenantOf(TenantIds.Check("tenant_id", subnet.TenantId)),
            SubnetPoolId = subnet.SubnetPoolId,
            CreatedAt = now,
            ReuseCooldownSeconds = cooldown,
        };
    }

    public Allocation Allocation(ImportedAllocation allocation, Subnet subnet, string actor)
    {
        var address = Address(allocation.IpAddress, "ip_address");

        // An export holds what was allowed when it was made, the gateway included (allow_gateway).
        SubnetRules.CheckSpecificAddress(subnet, address, allowGateway: true);
        SubnetRules.CheckAutoconfiguredAddress(subnet, address);
        return new Allocation
        {
            SubnetId = subnet.Id,
            Address = address,
            Owner = FreeText.Check("owner", allocation.Owner),
            Description = FreeText.Check("description", allocation.Description),
            CreatedAt = now,
            ExpiresAt = allocation.ExpiresAt,
            CreatedBy = actor,
        };
    }

    private static Guid Id(Guid? id) =>
        CallerChosenId.Check("id", id) ?? throw ValidationException.InvalidRequest("id", "id is required: an import keeps the ids of what it loads.");

    private static IpVersion Version(int? version, Dictionary<string, List<string>> errors)
    {
        if (version is 4 or 6)
        {
            return (IpVersion)version.Value;
        }

        SubnetPoolRules.Add(errors, "ip_version", $"ip_version must be 4 or 6, not {version}.");
        return IpVersion.V4;
    }

    private static Cidr Cidr(string? text, string field) =>
        Addressing.Cidr.TryParse(text.AsSpan(), out var cidr, out var error)
            ? cidr
            : throw ValidationException.InvalidRequest(field, error ?? $"'{text}' is not a CIDR.");

    private static IpAddress Address(string? text, string field) =>
        IpAddress.TryParse(text, out var address) ? address : throw ValidationException.InvalidRequest(field, $"'{text}' is not an IP address.");

    private static void Throw(string code, string field, IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ValidationException(code, "The subnet is invalid.", new Dictionary<string, string[]> { [field] = [.. errors] });
        }
    }
}
