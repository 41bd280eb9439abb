using Ipam.Api.Hosting;
using Ipam.Errors;
using Ipam.Storage;
using Ipam.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam token create --database</c>: a token made directly in the database, without a server, so that the first
/// admin token of a server that requires tokens can be made. The schema is created or migrated first, as on start.
/// </summary>
internal static class OfflineTokens
{
    public static async Task<CreatedToken> CreateAsync(DatabaseLocation database, CreateTokenCommand command, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            // Building the host opens the store, which takes a SQLite file's lock: a serving server's refusal comes from here.
            app = IpamHost.Build(new IpamHostOptions { Database = database }, builder => builder.Logging.ClearProviders());
        }
        catch (StoreUnavailableException e) when (e.Cause is IOException)
        {
            throw new CliException(
                $"a server is serving {ServeCommand.Describe(database)} (it holds {Path.GetFullPath(database.Target)}.lock); " +
                "leave out --database, and ipam token create asks that server (with an admin token)", ExitCodes.Failed, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
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
