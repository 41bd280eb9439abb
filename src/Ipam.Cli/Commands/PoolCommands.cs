using Ipam.Api.SubnetPools;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam pool create|list|show|update|delete|available</c>: subnet pools, which hand out prefixes as subnets.</summary>
internal static class PoolCommands
{
    public static Command Create(ClientOptions client)
    {
        var kind = ResourceKind.SubnetPool;
        return new Command("pool", "Manage subnet pools: prefixes from which subnets are allocated ('ipam subnet create --pool ID').")
        {
            CreateCommand(client),
            ListCommand(client),
            kind.ShowCommand<SubnetPoolDto>(
                client, "Show a subnet pool: prefixes, prefix lengths, quota and scope.", PoolViews.Detail, "ipam pool show 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"),
            UpdateCommand(client),
            kind.DeleteCommand(
                client,
                "Delete a subnet pool. A pool that subnets were allocated from is refused (in-use) until they are deleted.",
                ["ipam pool delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"]),
            AvailableCommand(client),
        }.WithExamples(
            "ipam pool create tenants --prefix 10.0.0.0/8 --default-prefixlen 24 --min-prefixlen 16",
            "ipam pool available 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70",
            "ipam subnet create --pool 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --prefixlen 26");
    }

    private static Option<int?> PrefixLengthOption(string name, string description) =>
        CommonOptions.Parsed<int?>(name, "N", ValueParsers.IntegerFrom(0, 128), description);

    private static Option<string[]> CidrsOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "CIDR",
        CustomParser = ValueParsers.Cidrs,
        Arity = ArgumentArity.OneOrMore,
    };

    private static Command CreateCommand(ClientOptions client)
    {
        var name = new Argument<string>("NAME") { Description = "A name for people." };
        var prefixes = CidrsOption("--prefix", "A prefix of the pool, repeatable or comma-separated; one IP version; overlapping ones are merged.");
        prefixes.Required = true;
        var defaultLength = PrefixLengthOption("--default-prefixlen", "The prefix length of subnets that ask for none. Default: the minimum.");
        var minLength = PrefixLengthOption("--min-prefixlen", "The shortest prefix a subnet may have. Default: 8 (IPv4) or 64 (IPv6).");
        var maxLength = PrefixLengthOption("--max-prefixlen", "The longest prefix a subnet may have. Default: 32 (IPv4) or 128 (IPv6).");
        var quota = CommonOptions.Parsed<long?>("--quota", "N", ValueParsers.NonNegativeLong,
            "Per tenant, the most addresses (IPv4) or /64s (IPv6) that its subnets from this pool may hold. Default: no limit.");
        var scope = ResourceKind.AddressScope.IdOption("--scope", "The address scope to join; its pools may not overlap this one.", "SCOPE_ID");
        var tenant = CommonOptions.OwningTenant();

        var command = new Command("create", "Create a subnet pool and print it.")
        {
            name, prefixes, defaultLength, minLength, maxLength, quota, scope, tenant,
        }.WithExamples(
            "ipam pool create tenants --prefix 10.0.0.0/8 --default-prefixlen 24 --min-prefixlen 16",
            "ipam pool create v6 --prefix 2001:db8::/32 --quota 16",
            "ipam pool create blue --prefix 172.16.0.0/16,172.17.0.0/16 --scope 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["name"] = parseResult.GetRequiredValue(name),
                ["prefixes"] = new JsonArray([.. parseResult.GetRequiredValue(prefixes).Select(p => (JsonNode)p)]),
            };
            body.SetIfGiven("default_prefixlen", parseResult.GetValue(defaultLength));
            body.SetIfGiven("min_prefixlen", parseResult.GetValue(minLength));
            body.SetIfGiven("max_prefixlen", parseResult.GetValue(maxLength));
            body.SetIfGiven("default_quota", parseResult.GetValue(quota));
            body.SetIfGiven("address_scope_id", parseResult.GetValue(scope)?.ToString());
            body.SetIfGiven("tenant_id", parseResult.GetValue(tenant));
            var response = await context.Api.PostAsync(Paths.SubnetPools, body, idempotencyKey: null, cancellationToken);
            context.Print<SubnetPoolDto>(response, PoolViews.Detail);
        });
        return command;
    }

    private static Command ListCommand(ClientOptions client)
    {
        var scope = ResourceKind.AddressScope.IdOption("--scope", "Only pools of this address scope.", "SCOPE_ID");
        var tenant = CommonOptions.TenantFilter("pools");
        var ipVersion = CommonOptions.IpVersionFilter("pools");
        return new Command("list", "List subnet pools, oldest first.")
        {
            scope, tenant, ipVersion,
        }.WithExamples(
            "ipam pool list",
            "ipam pool list --scope 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --json")
        .Lists<SubnetPoolDto>(
            client,
            "subnet pools",
            parseResult => (Paths.SubnetPools, new Query()
                .With("address_scope_id", parseResult.GetValue(scope)?.ToString())
                .With("tenant_id", parseResult.GetValue(tenant))
                .With("ip_version", parseResult.GetValue(ipVersion))),
            PoolViews.List);
    }

    private static Command UpdateCommand(ClientOptions client)
    {
        var id = ResourceKind.SubnetPool.IdArgument();
        var name = CommonOptions.Value("--name", "TEXT", "The new name.");
        var add = CidrsOption("--add-prefix", "Add prefix(es), repeatable or comma-separated.");
        var remove = CidrsOption("--remove-prefix", "Remove prefix space, repeatable; refused (in-use) while a subnet of the pool lies in it.");
        var defaultLength = PrefixLengthOption("--default-prefixlen", "The new default prefix length.");
        var minLength = PrefixLengthOption("--min-prefixlen", "The new minimum prefix length.");
        var maxLength = PrefixLengthOption("--max-prefixlen", "The new maximum prefix length.");
        var quota = CommonOptions.Parsed<Clearable<long>?>("--quota", "N|none", ValueParsers.QuotaOrNone,
            "The new per-tenant quota, or 'none' to remove it.");
        var scope = CommonOptions.Parsed<Clearable<Guid>?>("--scope", "SCOPE_ID|none", ValueParsers.ScopeOrNone,
            "Move the pool into this address scope, or 'none' to leave its scope.");
        Option[] changes = [name, add, remove, defaultLength, minLength, maxLength, quota, scope];

        var command = new Command("update", "Change a subnet pool; options not given stay as they are.")
        {
            id, name, add, remove, defaultLength, minLength, maxLength, quota, scope,
        }.WithExamples(
            "ipam pool update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --add-prefix 10.1.0.0/16",
            "ipam pool update 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --min-prefixlen 20 --default-prefixlen 26 --quota none");
        command.Validators.Add(result => result.AddFirstError(
            changes.Any(result.Given) ? null : "Nothing to update: give --name, --add-prefix, --remove-prefix, a prefix length, --quota or --scope."));
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject();
            body.SetIfGiven("name", parseResult.GetValue(name));
            if (parseResult.GetValue(add) is { Length: > 0 } added)
            {
                body["add_prefixes"] = new JsonArray([.. added.Select(p => (JsonNode)p)]);
            }

            if (parseResult.GetValue(remove) is { Length: > 0 } removed)
            {
                body["remove_prefixes"] = new JsonArray([.. removed.Select(p => (JsonNode)p)]);
            }

            body.SetIfGiven("default_prefixlen", parseResult.GetValue(defaultLength));
            body.SetIfGiven("min_prefixlen", parseResult.GetValue(minLength));
            body.SetIfGiven("max_prefixlen", parseResult.GetValue(maxLength));
            if (parseResult.GetValue(quota) is { } newQuota)
            {
                body["default_quota"] = newQuota.Value;
            }

            if (parseResult.GetValue(scope) is { } newScope)
            {
                body["address_scope_id"] = newScope.Value?.ToString();
            }

            var response = await context.Api.PatchAsync(Paths.SubnetPool(parseResult.GetRequiredValue(id)), body, cancellationToken);
            context.Print<SubnetPoolDto>(response, PoolViews.Detail);
        });
        return command;
    }

    private static Command AvailableCommand(ClientOptions client) => ResourceKind.SubnetPool.ByIdCommand(
        client,
        "available",
        "Print a subnet pool's free space as the minimal list of CIDRs, one per line (every page of it).",
        ["ipam pool available 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70", "ipam pool available 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --json"],
        async (context, _, id, cancellationToken) =>
        {
            // The server answers in pages; a page at a time is read and printed, so a fragmented pool's list does not pile up.
            var prefixes = ApiPages.ItemsAsync(context.Api, Paths.AvailablePrefixes(id), "prefixes", cancellationToken);
            if (context.Json)
            {
                var all = new List<string>();
                await foreach (var prefix in prefixes)
                {
                    all.Add(prefix.GetString()!);
                }

                context.Terminal.WriteJson(JsonSerializer.SerializeToElement(new AvailablePrefixesDto(all, null), ApiClient.JsonOptions));
                return;
            }

            var count = 0;
            await foreach (var prefix in prefixes)
            {
                context.Terminal.WriteLine(prefix.GetString()!);
                count++;
            }

            if (count == 0)
            {
                context.Terminal.Note("No free prefixes: the pool is full.");
            }
        });
}
