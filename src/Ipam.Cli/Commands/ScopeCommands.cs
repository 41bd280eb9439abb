using System.CommandLine;
using System.Text.Json.Nodes;
using Ipam.Api;
using Ipam.Api.Scopes;
using Ipam.Cli.Client;
using Ipam.Cli.Output;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam scope create|list|show|delete</c>.</summary>
internal static class ScopeCommands
{
    public static Command Create(ClientOptions client)
    {
        var command = new Command("scope", "Manage address scopes: routing domains of one IP version whose subnet pools may not overlap.").WithExamples(
            "ipam scope create blue --ip-version 4",
            "ipam scope list",
            "ipam scope delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
        command.Subcommands.Add(CreateCommand(client));
        command.Subcommands.Add(ListCommand(client));
        command.Subcommands.Add(ShowCommand(client));
        command.Subcommands.Add(DeleteCommand(client));
        return command;
    }

    public static Argument<Guid> ScopeIdArgument(string name = "ID") => new(name)
    {
        Description = "The address scope's id (a UUID, see 'ipam scope list').",
        CustomParser = ValueParsers.ResourceId("address scope", "ipam scope list"),
    };

    private static Command CreateCommand(ClientOptions client)
    {
        var name = new Argument<string>("NAME") { Description = "A name for people." };
        var ipVersion = new Option<int>("--ip-version") { Description = "The IP version of the scope and its pools.", HelpName = "4|6", Required = true };
        ipVersion.AcceptOnlyFromAmong("4", "6");
        var tenant = new Option<string>("--tenant") { Description = "The owning tenant (project) id.", HelpName = "ID" };
        var command = new Command("create", "Create an address scope and print it.")
        {
            name, ipVersion, tenant,
        }.WithExamples(
            "ipam scope create blue --ip-version 4",
            "ipam scope create red6 --ip-version 6 --tenant acme");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["name"] = parseResult.GetRequiredValue(name),
                ["ip_version"] = parseResult.GetValue(ipVersion),
            };
            body.SetIfGiven("tenant_id", parseResult.GetValue(tenant));
            var response = await context.Api.PostAsync(Paths.AddressScopes, body, idempotencyKey: null, cancellationToken);
            context.Print<AddressScopeDto>(response, ScopeViews.Detail);
        });
        return command;
    }

    private static Command ListCommand(ClientOptions client)
    {
        var ipVersion = new Option<int?>("--ip-version") { Description = "Only IPv4 (4) or IPv6 (6) scopes.", HelpName = "4|6" };
        ipVersion.AcceptOnlyFromAmong("4", "6");
        var paging = new PagingOptions("address scopes");
        var command = new Command("list", "List address scopes, oldest first.")
        {
            ipVersion,
        }.WithExamples(
            "ipam scope list",
            "ipam scope list --ip-version 6 --json");
        paging.AddTo(command);
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var query = new Query().With("ip_version", parseResult.GetValue(ipVersion));
            var page = await paging.ListAsync(context, parseResult, Paths.AddressScopes, query, cancellationToken);
            context.Print<ItemsPage<AddressScopeDto>>(page, p => ScopeViews.List(p.Items));
            context.NotePaging(ApiClient.Read<ItemsPage<AddressScopeDto>>(page).Next);
        });
        return command;
    }

    private static Command ShowCommand(ClientOptions client)
    {
        var id = ScopeIdArgument();
        var command = new Command("show", "Show an address scope.")
        {
            id,
        }.WithExamples("ipam scope show 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var response = await context.Api.GetAsync(Paths.AddressScope(parseResult.GetRequiredValue(id)), cancellationToken);
            context.Print<AddressScopeDto>(response, ScopeViews.Detail);
        });
        return command;
    }

    private static Command DeleteCommand(ClientOptions client)
    {
        var id = ScopeIdArgument();
        var command = new Command("delete", "Delete an address scope. A scope that subnet pools still reference is refused (in-use).")
        {
            id,
        }.WithExamples("ipam scope delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var scopeId = parseResult.GetRequiredValue(id);
            await context.Api.DeleteAsync(Paths.AddressScope(scopeId), cancellationToken);
            if (!context.Json)
            {
                context.Terminal.WriteLine($"Deleted address scope {scopeId}.");
            }
        });
        return command;
    }
}
