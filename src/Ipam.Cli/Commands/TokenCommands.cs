using Ipam.Api.Hosting;
using Ipam.Api.Tokens;
using Ipam.Tokens;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam token create|list|revoke</c>: API tokens (admins only, or offline on the database).</summary>
internal static class TokenCommands
{
    private static readonly ResourceKind Token = new("token", "ipam token list", Paths.TokenById);

    public static Command Create(ClientOptions client) => new Command(
        "token",
        "Manage API tokens. A server that requires tokens ('ipam serve --auth on') takes them as 'Authorization: Bearer'; " +
        "clients send one with --token or $IPAM_TOKEN. Only admin tokens may manage tokens.")
    {
        CreateCommand(client),
        new Command("list", "List tokens, oldest first; never their secrets.")
            .WithExamples("ipam token list", "ipam token list --json")
            .Lists<TokenDto>(client, "tokens", _ => (Paths.Tokens, new Query()), TokenViews.List),
        Token.ByIdCommand(
            client,
            "revoke",
            "Revoke a token: every server refuses it from the next request on.",
            ["ipam token revoke 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"],
            async (context, _, id, cancellationToken) =>
            {
                await context.Api.DeleteAsync(Paths.TokenById(id), cancellationToken);
                context.Confirm($"Revoked token {id}.");
            },
            jsonDescription: ClientOptions.NoBodyJson),
    }.WithExamples(
        "ipam token create --database sqlite:./ipam.db --role admin --name bootstrap",
        "ipam token create --role member --tenant acme --expires-in 90d --token $ADMIN_TOKEN",
        "ipam token list",
        "ipam token revoke 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70");

    private static Command CreateCommand(ClientOptions client)
    {
        var role = new Option<string>("--role") { Description = "What the token may do.", HelpName = "admin|member|reader", Required = true };
        role.AcceptOnlyFromAmong(CallerRoles.Admin, CallerRoles.Member, CallerRoles.Reader);
        var tenant = CommonOptions.Value("--tenant", "ID", "The tenant a member or reader token acts in (required for them; admins have none).");
        var name = CommonOptions.Value("--name", "NAME", "A name for people.");
        var expiresIn = CommonOptions.Parsed<TimeSpan?>("--expires-in", "DURATION", ValueParsers.Duration,
            "Refuse the token after this long, e.g. 90d, 12h, 30m (default: never).");
        var database = ServeCommand.DatabaseOption(withDefault: false);
        database.Description = "Create the token directly in this database, without a server (for the first admin token): sqlite:PATH " +
            "(the file is created if missing, its directory must exist) or postgresql://user:pass@host:port/dbname; the schema is created or migrated first.";
        var command = new Command("create", "Create a token and print it with its secret, which is shown this once and never again.")
        {
            role, tenant, name, expiresIn, database,
        }.WithExamples(
            "ipam token create --database sqlite:./ipam.db --role admin --name bootstrap",
            "ipam token create --database postgresql://ipam:secret@db/ipam --role admin",
            "ipam token create --role reader --tenant acme --name dashboards --expires-in 30d");
        command.Validators.Add(result => result.AddFirstError(
            TenantProblem(result.GetResult(role) is { Tokens: [.., var given] } ? given.Value : null, result.Given(tenant))));
        client.RefuseOn(command, "with --database, ipam token create makes the token in the database itself, without one", onlyWith: database);
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var tokenCommand = new CreateTokenCommand
            {
                Role = CallerRoles.TryParse(parseResult.GetRequiredValue(role), out var parsed) ? parsed.Value : Ipam.Changes.CallerRole.Reader,
                TenantId = parseResult.GetValue(tenant),
                Name = parseResult.GetValue(name),
                ExpiresAt = parseResult.GetValue(expiresIn) is { } duration ? DateTimeOffset.UtcNow + duration : null,
            };
            var created = parseResult.GetValue(database) is { } target
                ? await OfflineTokens.CreateAsync(Location(target), tokenCommand, cancellationToken)
                : await context.Api.PostAsync(Paths.Tokens, Body(tokenCommand), idempotencyKey: null, cancellationToken);
            context.Print<CreatedTokenDto>(created, TokenViews.Created);
            if (!context.Json)
            {
                context.Terminal.Note("Keep the token now: it is shown this once, and only its hash is stored.");
            }
        });
        return command;
    }

    /// <summary>
    /// A member or reader acts in one tenant and an admin in none: said here in the options' words, before any request,
    /// where the server (or the offline store) would name its body's <c>tenant_id</c>.
    /// </summary>
    private static string? TenantProblem(string? role, bool tenantGiven) => role switch
    {
        CallerRoles.Admin when tenantGiven => "--role admin takes no --tenant: an admin token sees every tenant.",
        CallerRoles.Member or CallerRoles.Reader when !tenantGiven => $"--role {role} needs --tenant ID, the tenant the token acts in.",
        _ => null,
    };

    private static DatabaseLocation Location(string target) =>
        DatabaseLocation.TryParse(target, out var location, out var error) ? location : throw new UsageException(error);

    private static JsonObject Body(CreateTokenCommand command)
    {
        var body = new JsonObject { ["role"] = CallerRoles.ToWire(command.Role) };
        body.SetIfGiven("tenant_id", command.TenantId);
        body.SetIfGiven("name", command.Name);
        body.SetIfGiven("expires_at", command.ExpiresAt is { } expires ? JsonValue.Create(expires.UtcDateTime) : null);
        return body;
    }
}
