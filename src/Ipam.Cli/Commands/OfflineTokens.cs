using Ipam.Api.Hosting;
using Ipam.Errors;
using Ipam.Storage;
using Ipam.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam token create --database</c>: a token made directly in the database, without a server, so that the first
/// admin token of a server that requires tokens can be made. The schema is created or migrated first, as on start.
/// </summary>
internal static class OfflineTokens
{
    public static async Task<CreatedToken> CreateAsync(DatabaseLocation database, CreateTokenCommand command, CancellationToken cancellationToken)
    {
        try
        {
            TokenService.Validate(command, DateTimeOffset.UtcNow);
        }
        catch (ValidationException e)
        {
            throw new UsageException(e.Message);
        }

        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = OfflineHost.Build(database, "ipam token create asks that server (with an admin token)");
        }
        catch (Exception e) when (e is not OperationCanceledException and not CliException)
        {
            throw new CliException($"cannot open {ServeCommand.Describe(database)}: {e.Message}", ExitCodes.Failed, e);
        }

        await using (app)
        {
            try
            {
                await app.Services.GetRequiredService<IIpamStore>().MigrateAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CliException($"cannot open {ServeCommand.Describe(database)}: {e.Message}", ExitCodes.Failed, e);
            }

            return await app.Services.GetRequiredService<TokenService>().CreateAsync(command, cancellationToken);
        }
    }
}
