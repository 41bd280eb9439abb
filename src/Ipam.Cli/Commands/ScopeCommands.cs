using Ipam.Api.Scopes;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam scope create|list|show|delete</c>.</summary>
internal static class ScopeCommands
{
    public static Command Create(ClientOptions client)
    {
        var kind = ResourceKind.AddressScope;
        return new Command("scope", "Manage address scopes: routing domains of one IP version whose subnet pools may not overlap.")
        {
            CreateCommand(client),
            ListCommand(client),
            kind.ShowCommand<AddressScopeDto>(client, "Show an address scope.", ScopeViews.Detail, "ipam scope show 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"),
            kind.DeleteCommand(
                client,
                "Delete an address scope. A scope that subnet pools still reference is refused (in-use).",
                ["ipam scope delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"]),
        }.WithExamples(
            "ipam scope create blue --ip-version 4",
            "ipam scope list",
            "ipam scope delete 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");
    }

    private static Command CreateCommand(ClientOptions client)
    {
        var name = new Argument<string>("NAME") { Description = "A name for people." };
        var ipVersion = new Option<int>("--ip-version") { Description = "The IP version of the scope and its pools.", HelpName = "4|6", Required = true };
        ipVersion.AcceptOnlyFromAmong("4", "6");
        var tenant = CommonOptions.OwningTenant();
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
        var ipVersion = CommonOptions.IpVersionFilter("scopes");
        return new Command("list", "List address scopes, oldest first.")
        {
            ipVersion,
        }.WithExamples(
            "ipam scope list",
            "ipam scope list --ip-version 6 --json")
        .Lists<AddressScopeDto>(
            client,
            "address scopes",
            parseResult => (Paths.AddressScopes, new Query().With("ip_version", parseResult.GetValue(ipVersion))),
            ScopeViews.List);
    }
}
