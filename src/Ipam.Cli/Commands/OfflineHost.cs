using Ipam.Api.Hosting;
using Ipam.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Commands;

/// <summary>The host an offline command (<c>ipam backup</c>, <c>ipam token create --database</c>) opens a database with, serving nothing.</summary>
internal static class OfflineHost
{
    /// <summary>
    /// Builds the host, which opens the store and takes a SQLite file's lock: a file a server holds is refused here, in
    /// one line ending with <paramref name="instead"/>, what to do instead.
    /// </summary>
    public static WebApplication Build(DatabaseLocation database, string instead)
    {
        try
        {
            return IpamHost.Build(new IpamHostOptions { Database = database }, builder => builder.Logging.ClearProviders());
        }
        catch (StoreUnavailableException e) when (e.Cause is IOException)
        {
            // The store's lock on PATH.lock, held by the server (the only I/O failure of opening the store).
            throw new CliException(
                $"a server is serving {ServeCommand.Describe(database)} (it holds {Path.GetFullPath(database.Target)}.lock); leave out --database, and {instead}",
                ExitCodes.Failed, e);
        }
    }
}
