using Ipam.Api;
using Ipam.Api.History;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam history ADDRESS [--subnet ID] [--at TIME]</c>.</summary>
internal static class HistoryCommand
{
    public static Command Create(ClientOptions client)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The IP address.", CustomParser = ValueParsers.IpAddress };
        var subnet = ResourceKind.Subnet.IdOption(
            "--subnet", "Show the address's history in this subnet: every allocation, newest first, with who released it and why.", "SUBNET_ID");
        var at = CommonOptions.Parsed<DateTimeOffset?>("--at", "TIME", ValueParsers.Rfc3339,
            "Without --subnet: who held the address at this RFC 3339 time (default: now), e.g. 2026-05-01T12:00:00Z.");
        var command = new Command(
            "history",
            "Who held an address: with --subnet, its allocations in that subnet, newest first; without, who held it (now, or --at a time) " +
            "in every subnet that contains it, deleted subnets included.")
        {
            address, subnet, at,
        }.WithExamples(
            "ipam history 10.0.0.5 --subnet 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70",
            "ipam history 10.0.0.5",
            "ipam history 10.0.0.5 --at 2026-05-01T12:00:00Z");
        command.Validators.Add(result => result.AddFirstError(
            result.Given(subnet) && result.Given(at) ? "--at applies only without --subnet (a subnet's history lists every time)." : null));
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var ip = parseResult.GetRequiredValue(address);
            if (parseResult.GetValue(subnet) is { } subnetId)
            {
                var history = await context.Api.ListAsync(Paths.AllocationHistory(subnetId, ip), new Query(), cursor: null, all: true, cancellationToken);
                context.Print<ItemsPage<AllocationHistoryDto>>(history, page => HistoryViews.History(page.Items));
                return;
            }

            var time = parseResult.GetValue(at) is { } given ? RequestBodies.Time(given) : null;
            var holders = await context.Api.ListAsync(Paths.Address(ip), new Query().With("at", time), cursor: null, all: true, cancellationToken);
            context.Print<ItemsPage<AddressHolderDto>>(holders, page => HistoryViews.Holders(page.Items, ip.ToString(), time));
        });
        return command;
    }
}
