using Ipam.Api.Hosting;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam backup --database sqlite:PATH</c>: the copy taken directly from a file no server is serving, the way the
/// server takes it. The file is neither created nor migrated.
/// </summary>
internal static class OfflineBackup
{
    /// <summary>Copies <paramref name="database"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static async Task<long> CopyAsync(DatabaseLocation database, Stream destination, CancellationToken cancellationToken)
    {
        if (database.Kind != DatabaseLocation.Sqlite)
        {
            throw new CliException(
                $"{ServeCommand.Describe(database)} is PostgreSQL, which is backed up with pg_dump or PostgreSQL's WAL archiving; " +
                "ipam backup copies a SQLite database", ExitCodes.Failed);
        }

        if (!File.Exists(database.Target))
        {
            throw new CliException($"{Path.GetFullPath(database.Target)} does not exist: there is no database to copy", ExitCodes.Failed);
        }

        FileStream copy;
        try
        {
            await using var app = OfflineHost.Build(database, "ipam backup asks that server for the copy");
            var store = (IOnlineBackup)app.Services.GetRequiredService<IIpamStore>();
            copy = await store.WriteCopyAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CliException)
        {
            throw new CliException($"cannot copy {ServeCommand.Describe(database)}: {e.Message}", ExitCodes.Failed, e);
        }

        await using (copy)
        {
            await copy.CopyToAsync(destination, cancellationToken);
            return copy.Length;
        }
    }
}
