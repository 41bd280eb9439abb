using Ipam.Api.Hosting;
using Ipam.Api.Tokens;
using Ipam.Errors;
using Ipam.Storage;
using Ipam.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam token create --database</c>: a token made directly in the database, without a server, so that the first
/// admin token of a server that requires tokens can be made. The schema is created or migrated first, as on start; a
/// SQLite file is created if missing, but never a directory for it.
/// </summary>
internal static class OfflineTokens
{
    /// <summary>Makes the token and returns it as the server answers <c>POST /v1/tokens</c>, with the times as stored.</summary>
    public static async Task<JsonElement> CreateAsync(DatabaseLocation database, CreateTokenCommand command, CancellationToken cancellationToken)
    {
        try
        {
            TokenService.Validate(command, DateTimeOffset.UtcNow);
        }
        catch (ValidationException e)
        {
            throw new UsageException(e.Message);
        }

        RefuseMissingDirectory(database);
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

            var tokens = app.Services.GetRequiredService<TokenService>();
            var created = await tokens.CreateAsync(command, cancellationToken);
            var stored = await tokens.GetAsync(created.Token.Id, cancellationToken);
            var json = app.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
            return JsonSerializer.SerializeToElement((created with { Token = stored }).ToDto(), json);
        }
    }

    /// <summary>
    /// A SQLite path whose directory is missing is a mistyped path, not a new database: the store would create the
    /// directories and a database no server uses, so nothing is created.
    /// </summary>
    private static void RefuseMissingDirectory(DatabaseLocation database)
    {
        if (database.Kind != DatabaseLocation.Sqlite)
        {
            return;
        }

        var path = Path.GetFullPath(database.Target);
        if (Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
        {
            throw new CliException(
                $"no Ipam database at {path}, and no directory {directory} to create one in; check the path, or create the directory first",
                ExitCodes.Failed);
        }
    }
}
