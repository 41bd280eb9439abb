using Ipam.Api.Hosting;
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
        await using var app = IpamHost.Build(new IpamHostOptions { Database = database }, builder => builder.Logging.ClearProviders());
        IIpamStore store;
        try
        {
            store = app.Services.GetRequiredService<IIpamStore>();
            await store.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CliException($"cannot open {ServeCommand.Describe(database)}: {e.Message}", ExitCodes.Failed, e);
        }

        return await app.Services.GetRequiredService<TokenService>().CreateAsync(command, cancellationToken);
    }
}
