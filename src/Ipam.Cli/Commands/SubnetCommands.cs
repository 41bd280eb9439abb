using Ipam.Api.Subnets;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam subnet create|list|show|update|delete</c>.</summary>
internal static class SubnetCommands
{
    private static readonly string[] Ipv6AddressModes = ["slaac", "dhcpv6-stateful", "dhcpv6-stateless"];

    public static Command Create(ClientOptions client)
    {
        var kind = ResourceKind.Subnet;
        return new Command("subnet", "Manage subnets: a CIDR with a gateway and the allocation pools that addresses are handed out from.")
        {
            CreateCommand(client),
            ListCommand(client),
            kind.ShowCommand<SubnetDto>(
                client, "Show a subnet: CIDR, gateway, allocation pools and usage.", SubnetViews.Detail, "ipam subnet show 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"),
            UpdateCommand(client),
            kind.DeleteCommand(
                client,
                "Delete a subnet. A subnet with allocations is refused (in-use) unless --force is given.",
                ["ipam subnet delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70", "ipam subnet delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --force"],
                new Option<bool>("--force") { Description = "Also release every address still allocated in the subnet." }),
        }.WithExamples(
            "ipam subnet create 10.0.0.0/24 --name web",
            "ipam subnet list --all",
            "ipam subnet show 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
    }

    private static Command CreateCommand(ClientOptions client)
    {
        var cidr = new Argument<string>("CIDR")
        {
            Description = "The subnet, e.g. 10.0.0.0/24 or 2001:db8::/64 (no host bits set). With --pool SUBNET_POOL_ID: optional, a specific prefix of the pool.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var name = CommonOptions.Value("--name", "TEXT", "A name for people.");
        var gateway = GatewayOption("The gateway address, or 'none'. Default: the first host address (none on IPv4 /31, /32 and IPv6 /127, /128).");
        var pools = new Option<PoolChoice>("--pool")
        {
            Description = "Allocation pool(s) START-END, repeatable (default: the whole subnet minus network, broadcast and gateway); " +
                "or a subnet pool id to allocate the subnet's CIDR from (see 'ipam pool list').",
            HelpName = "START-END|SUBNET_POOL_ID",
            CustomParser = ValueParsers.PoolsOrSubnetPool,
            Arity = ArgumentArity.OneOrMore,
        };
        var prefixLength = CommonOptions.Parsed<int?>("--prefixlen", "N", ValueParsers.IntegerFrom(0, 128),
            "With --pool SUBNET_POOL_ID: the prefix length of the subnet (default: the pool's default prefix length).");
        var mode = CommonOptions.Value("--ipv6-address-mode", "MODE",
            "How IPv6 hosts get addresses; slaac and dhcpv6-stateless allow only EUI-64 (--mac) allocations.");
        mode.AcceptOnlyFromAmong(Ipv6AddressModes);
        var tenant = CommonOptions.OwningTenant();
        var cooldown = CooldownOption("Seconds a released address stays out of automatic picks (random, next); default 0.");

        var command = new Command("create", "Create a subnet from a CIDR, or allocate it from a subnet pool (--pool SUBNET_POOL_ID), and print it.")
        {
            cidr, name, gateway, pools, prefixLength, mode, tenant, cooldown,
        }.WithExamples(
            "ipam subnet create 10.0.0.0/24 --name web",
            "ipam subnet create 10.0.1.0/24 --gateway none --pool 10.0.1.10-10.0.1.99 --pool 10.0.1.200-10.0.1.250",
            "ipam subnet create 2001:db8::/64 --ipv6-address-mode slaac --tenant acme",
            "ipam subnet create --pool 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --prefixlen 26 --tenant acme");
        command.Validators.Add(result =>
        {
            // From the tokens, not the parsed value: the value may not have parsed.
            var fromPool = result.GetResult(pools)?.Tokens
                .SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries))
                .Any(text => Guid.TryParseExact(text, "D", out _)) == true;
            result.AddFirstError(
                !fromPool && !result.Given(cidr) ? "Give a CIDR, or --pool SUBNET_POOL_ID to allocate one from a subnet pool." : null,
                !fromPool && result.Given(prefixLength) ? "--prefixlen needs --pool SUBNET_POOL_ID." : null);
        });
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject();
            body.SetIfGiven("cidr", parseResult.GetValue(cidr));
            var choice = parseResult.GetValue(pools);
            body.SetIfGiven("subnet_pool_id", choice?.SubnetPoolId?.ToString());
            body.SetIfGiven("prefixlen", parseResult.GetValue(prefixLength));
            body.SetIfGiven("name", parseResult.GetValue(name));
            body.SetIfGiven("tenant_id", parseResult.GetValue(tenant));
            body.SetIfGiven("ipv6_address_mode", parseResult.GetValue(mode));
            body.SetIfGiven("reuse_cooldown_seconds", parseResult.GetValue(cooldown));
            if (parseResult.GetValue(gateway) is { } gatewayChoice)
            {
                body["gateway_ip"] = gatewayChoice.Address;
            }

            if (choice is { Ranges.Length: > 0 })
            {
                body["allocation_pools"] = PoolsJson(choice.Ranges);
            }

            var response = await context.Api.PostAsync(Paths.Subnets, body, idempotencyKey: null, cancellationToken);
            context.Print<SubnetDto>(response, SubnetViews.Detail);
        });
        return command;
    }

    private static Command ListCommand(ClientOptions client)
    {
        var tenant = CommonOptions.TenantFilter("subnets");
        var ipVersion = CommonOptions.IpVersionFilter("subnets");
        return new Command("list", "List subnets with their usage in id order: oldest first, as the server's ids are time-ordered (one created with an id of the caller's choosing sorts by that id).")
        {
            tenant, ipVersion,
        }.WithExamples(
            "ipam subnet list",
            "ipam subnet list --ip-version 6 --tenant acme",
            "ipam subnet list --all --json")
        .Lists<SubnetDto>(
            client,
            "subnets",
            parseResult => (Paths.Subnets, new Query().With("tenant_id", parseResult.GetValue(tenant)).With("ip_version", parseResult.GetValue(ipVersion))),
            SubnetViews.List);
    }

    private static Command UpdateCommand(ClientOptions client)
    {
        var id = ResourceKind.Subnet.IdArgument();
        var name = CommonOptions.Value("--name", "TEXT", "The new name.");
        var gateway = GatewayOption("The new gateway address, or 'none' to remove it. It must not be allocated to anyone.");
        var pools = PoolsOption("Replace the allocation pools, repeatable. Existing allocations stay, even outside the new pools.");
        var noPools = new Option<bool>("--no-pools") { Description = "Remove all allocation pools (only specific --ip allocations remain possible)." };
        var defaultPools = new Option<bool>("--default-pools")
        {
            Description = "Put the allocation pools back to what a new subnet gets: every host address but the gateway (the gateway after this update).",
        };
        var cooldown = CooldownOption("The new reuse cooldown in seconds (0: released addresses are reused at once).");

        var command = new Command("update", "Change a subnet's name, gateway, allocation pools or reuse cooldown; options not given stay as they are.")
        {
            id, name, gateway, pools, noPools, defaultPools, cooldown,
        }.WithExamples(
            "ipam subnet update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --name web-frontend",
            "ipam subnet update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --gateway 10.0.0.254 --pool 10.0.0.10-10.0.0.200",
            "ipam subnet update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --no-pools",
            "ipam subnet update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --gateway 10.0.0.254 --default-pools");
        command.Validators.Add(result => result.AddFirstError(
            result.BothGiven(pools, noPools),
            result.BothGiven(pools, defaultPools),
            result.BothGiven(noPools, defaultPools),
            !result.Given(pools) && !result.Given(noPools) && !result.Given(defaultPools) && !result.Given(name) && !result.Given(gateway) &&
            !result.Given(cooldown)
                ? "Nothing to update: give --name, --gateway, --pool, --no-pools, --default-pools or --reuse-cooldown."
                : null));
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject();
            body.SetIfGiven("name", parseResult.GetValue(name));
            body.SetIfGiven("reuse_cooldown_seconds", parseResult.GetValue(cooldown));
            if (parseResult.GetValue(gateway) is { } choice)
            {
                body["gateway_ip"] = choice.Address;
            }

            if (parseResult.GetValue(noPools))
            {
                body["allocation_pools"] = new JsonArray();
            }
            else if (parseResult.GetValue(defaultPools))
            {
                body["allocation_pools"] = null;
            }
            else if (parseResult.GetValue(pools) is { Length: > 0 } ranges)
            {
                body["allocation_pools"] = PoolsJson(ranges);
            }

            var response = await context.Api.PatchAsync(Paths.Subnet(parseResult.GetRequiredValue(id)), body, cancellationToken);
            context.Print<SubnetDto>(response, SubnetViews.Detail);
        });
        return command;
    }

    private const int MaxCooldownSeconds = 30 * 24 * 3600;

    private static Option<int?> CooldownOption(string description) =>
        CommonOptions.Parsed<int?>("--reuse-cooldown", "SECONDS", ValueParsers.IntegerFrom(0, MaxCooldownSeconds),
            $"{description} 0 to {MaxCooldownSeconds} (30 days).");

    private static Option<GatewayChoice> GatewayOption(string description) =>
        CommonOptions.Parsed<GatewayChoice>("--gateway", "IP|none", ValueParsers.Gateway, description);

    private static Option<PoolRange[]> PoolsOption(string description) => new("--pool")
    {
        Description = description + " E.g. --pool 10.0.0.10-10.0.0.99.",
        HelpName = "START-END",
        CustomParser = ValueParsers.Pools,
        Arity = ArgumentArity.OneOrMore,
    };

    private static JsonArray PoolsJson(IEnumerable<PoolRange> pools) =>
        [.. pools.Select(p => (JsonNode)new JsonObject { ["start"] = p.Start, ["end"] = p.End })];
}
