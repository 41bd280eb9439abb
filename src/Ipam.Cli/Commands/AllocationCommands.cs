using Ipam.Allocations.Strategies;
using Ipam.Api;
using Ipam.Api.Allocations;
using Ipam.Errors;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam allocate</c>, <c>ipam renew</c>, <c>ipam release</c> and <c>ipam allocations</c>.</summary>
internal static class AllocationCommands
{
    /// <summary>The API's largest bulk allocation.</summary>
    private const int MaxCount = 10_000;

    public static IEnumerable<Command> Create(ClientOptions client) =>
        [AllocateCommand(client), RenewCommand(client), ReleaseCommand(client), ListCommand(client)];

    private static Command AllocateCommand(ClientOptions client)
    {
        var subnet = ResourceKind.Subnet.IdArgument("SUBNET_ID");
        var strategy = CommonOptions.Value("--strategy", string.Join('|', AllocationStrategies.BuiltInNames),
            $"{AllocationStrategies.Random} (default): any free pool address, uniformly; {AllocationStrategies.Next}: the lowest free pool address.");
        strategy.AcceptOnlyFromAmong([.. AllocationStrategies.BuiltInNames]);
        var ip = CommonOptions.Parsed<string>("--ip", "IP", ValueParsers.IpAddress,
            "Allocate this address (in or outside the pools, not the IPv4 network or broadcast address).");
        var allowGateway = new Option<bool>("--allow-gateway") { Description = "With --ip: allow allocating the gateway address." };
        var mac = CommonOptions.Value("--mac", "MAC",
            "Allocate the EUI-64 address of this MAC (IPv6 /64 subnets; the only kind allowed on slaac and dhcpv6-stateless).");
        var count = CommonOptions.Parsed<int?>("--count", "N", ValueParsers.IntegerFrom(1, MaxCount),
            $"Allocate N addresses at once (1 to {MaxCount:N0}), all or nothing; with --strategy.");
        var owner = CommonOptions.Value("--owner", "TEXT", "Who holds the address, e.g. a port or device id.");
        var description = CommonOptions.Value("--description", "TEXT", "Free text.");
        var expiresAt = CommonOptions.Parsed<DateTimeOffset?>("--expires-at", "TIME", ValueParsers.Rfc3339,
            "Make it a reservation released automatically at this RFC 3339 time, e.g. 2099-05-01T12:00:00Z.");
        var idempotencyKey = CommonOptions.Value("--idempotency-key", "KEY",
            "Retrying with the same key returns the first result instead of allocating again.");

        var command = new Command("allocate", "Allocate address(es) in a subnet and print them, one per line.")
        {
            subnet, strategy, ip, allowGateway, mac, count, owner, description, expiresAt, idempotencyKey,
        }.WithExamples(
            "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70",
            "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --strategy next --owner vm-42",
            "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --ip 10.0.0.5 --description \"printer\"",
            "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --mac fa:16:3e:00:11:22",
            "ipam allocate 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --count 10 --expires-at 2099-05-01T12:00:00Z");
        command.Validators.Add(result => result.AddFirstError(
            result.BothGiven(ip, mac),
            (result.Given(ip) || result.Given(mac)) && (result.Given(strategy) || result.Given(count))
                ? "--strategy and --count apply only without --ip and --mac."
                : null,
            result.Given(allowGateway) && !result.Given(ip) ? "--allow-gateway applies only with --ip." : null));
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject();
            body.SetIfGiven("strategy", parseResult.GetValue(strategy));
            body.SetIfGiven("ip_address", parseResult.GetValue(ip));
            body.SetIfGiven("mac_address", parseResult.GetValue(mac));
            body.SetIfGiven("count", parseResult.GetValue(count));
            body.SetIfGiven("allow_gateway", parseResult.GetValue(allowGateway) ? true : null);
            body.SetIfGiven("owner", parseResult.GetValue(owner));
            body.SetIfGiven("description", parseResult.GetValue(description));
            body.SetIfGiven("expires_at", parseResult.GetValue(expiresAt) is { } expires ? RequestBodies.Time(expires) : null);

            JsonElement response;
            try
            {
                response = await context.Api.PostAsync(
                    Paths.Allocations(parseResult.GetRequiredValue(subnet)), body, parseResult.GetValue(idempotencyKey), cancellationToken);
            }
            catch (ApiException e) when (e.Code == ErrorCodes.AddressReserved)
            {
                // The server's advice names the API's allow_gateway; say it as this command's option.
                throw new ApiException(
                    e.Message.Replace(AddressReservedException.GatewayAdvice, $"add {allowGateway.Name} to take it", StringComparison.Ordinal),
                    e.Status, e.Code, e.Problem);
            }

            if (context.Json)
            {
                context.Terminal.WriteJson(response);
                return;
            }

            var allocations = response.TryGetProperty("items", out _)
                ? ApiClient.Read<ItemsList<AllocationDto>>(response).Items
                : [ApiClient.Read<AllocationDto>(response)];
            foreach (var allocation in allocations)
            {
                context.Terminal.WriteLine(allocation.IpAddress);
            }
        });
        return command;
    }

    private static Command RenewCommand(ClientOptions client)
    {
        var subnet = ResourceKind.Subnet.IdArgument("SUBNET_ID");
        var ip = new Argument<string>("IP") { Description = "The allocated address.", CustomParser = ValueParsers.IpAddress };
        var expiresAt = CommonOptions.Parsed<DateTimeOffset?>("--expires-at", "TIME", ValueParsers.Rfc3339,
            "Release it automatically at this RFC 3339 time instead, e.g. 2099-05-01T12:00:00Z.");
        var expiresIn = CommonOptions.Parsed<TimeSpan?>("--expires-in", "DURATION", ValueParsers.Duration,
            "Release it automatically this long from now instead, e.g. 12h, 30m, 7d.");
        var permanent = new Option<bool>("--permanent") { Description = "Keep it until it is released: no automatic release." };
        var description = CommonOptions.Value("--description", "TEXT", "Set its description.");
        var clearDescription = new Option<bool>("--clear-description") { Description = "Remove its description." };
        var command = new Command(
            "renew",
            "Change a held allocation: when its reservation ends (later, sooner, or never) and its description. Its address, " +
            "owner and creation stay; an address whose reservation has already run out is free, and must be allocated again.")
        {
            subnet, ip, expiresAt, expiresIn, permanent, description, clearDescription,
        }.WithExamples(
            "ipam renew 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 10.0.0.5 --expires-in 1h",
            "ipam renew 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 10.0.0.5 --permanent --description \"provisioned\"");
        command.Validators.Add(result => result.AddFirstError(
            new[] { result.Given(expiresAt), result.Given(expiresIn), result.Given(permanent) }.Count(given => given) > 1
                ? "--expires-at, --expires-in and --permanent exclude each other; give one."
                : null,
            result.BothGiven(description, clearDescription),
            !result.Given(expiresAt) && !result.Given(expiresIn) && !result.Given(permanent) && !result.Given(description) && !result.Given(clearDescription)
                ? "Nothing to change: give --expires-at, --expires-in or --permanent, and/or --description or --clear-description."
                : null));
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject();
            var end = parseResult.GetValue(expiresAt) ?? (parseResult.GetValue(expiresIn) is { } lifetime ? DateTimeOffset.UtcNow + lifetime : null);
            if (end is { } time)
            {
                body["expires_at"] = RequestBodies.Time(time);
            }
            else if (parseResult.GetValue(permanent))
            {
                body["expires_at"] = null;
            }

            if (parseResult.GetValue(description) is { } text)
            {
                body["description"] = text;
            }
            else if (parseResult.GetValue(clearDescription))
            {
                body["description"] = null;
            }

            var response = await context.Api.PatchAsync(
                Paths.Allocation(parseResult.GetRequiredValue(subnet), parseResult.GetRequiredValue(ip)), body, cancellationToken);
            context.Print<AllocationDto>(response, allocation => AllocationViews.List([allocation]));
        });
        return command;
    }

    private static Command ReleaseCommand(ClientOptions client)
    {
        var subnet = ResourceKind.Subnet.IdArgument("SUBNET_ID");
        var ip = new Argument<string>("IP") { Description = "The allocated address.", CustomParser = ValueParsers.IpAddress };
        var idempotencyKey = CommonOptions.Value("--idempotency-key", "KEY",
            "Retrying with the same key returns the first result instead of releasing again.");
        var command = new Command("release", "Release an allocated address, making it free again.")
        {
            subnet, ip, idempotencyKey,
        }.WithExamples(
            "ipam release 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 10.0.0.5",
            "ipam release 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 10.0.0.5 --idempotency-key 5d1c7f0e-port-delete");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var address = parseResult.GetRequiredValue(ip);
            var subnetId = parseResult.GetRequiredValue(subnet);
            await context.Api.DeleteAsync(Paths.Allocation(subnetId, address), parseResult.GetValue(idempotencyKey), cancellationToken);
            context.Confirm($"Released {address} from subnet {subnetId}.");
        }, ClientOptions.NoBodyJson);
        return command;
    }

    private static Command ListCommand(ClientOptions client)
    {
        var subnet = ResourceKind.Subnet.IdArgument("SUBNET_ID");
        var owner = CommonOptions.Value("--owner", "TEXT", "Only the addresses of this owner.");
        return new Command("allocations", "List the addresses allocated in a subnet, lowest first.")
        {
            subnet, owner,
        }.WithExamples(
            "ipam allocations 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70",
            "ipam allocations 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 --owner vm-42 --all --json")
        .Lists<AllocationDto>(
            client,
            "allocations",
            parseResult => (Paths.Allocations(parseResult.GetRequiredValue(subnet)), new Query().With("owner", parseResult.GetValue(owner))),
            AllocationViews.List);
    }
}
