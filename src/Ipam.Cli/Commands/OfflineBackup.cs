using Ipam.Api.Hosting;
using Ipam.Errors;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
            // Building the host opens the store, which takes the file's lock: a serving server's refusal comes from here.
            await using var app = IpamHost.Build(new IpamHostOptions { Database = database }, builder => builder.Logging.ClearProviders());
            var store = (IOnlineBackup)app.Services.GetRequiredService<IIpamStore>();
            copy = await store.WriteCopyAsync(cancellationToken);
        }
        catch (StoreUnavailableException e) when (e.Cause is IOException)
        {
            // The store's lock on PATH.lock, held by the server (the only I/O failure of opening the store).
            throw new CliException(
                $"a server is serving {ServeCommand.Describe(database)} (it holds {Path.GetFullPath(database.Target)}.lock); " +
                "leave out --database, and ipam backup asks that server for the copy", ExitCodes.Failed, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
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
