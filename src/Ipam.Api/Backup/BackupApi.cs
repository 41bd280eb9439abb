namespace Ipam.Api.Backup;

/// <summary>
/// <c>GET /v1/backup</c>: a consistent copy of a SQLite server's database file, taken while it serves
/// (<c>ipam backup</c>). PostgreSQL is backed up with its own tools.
/// </summary>
public static class BackupApi
{
    public const string ContentType = "application/vnd.sqlite3";

    public static IEndpointRouteBuilder MapBackup(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/backup").WithTags("Backup").RequireAuthorization(BearerToken.AdminPolicy);
        group.WithRequestTimeout(RequestDeadline.WholeDatabase);
        group.MapGet("/", DownloadBackup).WithName(nameof(DownloadBackup))
            .WithSummary("A consistent copy of the SQLite database, as of one moment, as a file (admins; writes go on meanwhile).");
        return routes;
    }

    public static async Task<FileStreamHttpResult> DownloadBackup(IIpamStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (store is not IOnlineBackup backup)
        {
            throw new NotSupportedByStoreException(
                "This server keeps its data in PostgreSQL, which is backed up with pg_dump or PostgreSQL's WAL archiving; " +
                "GET /v1/backup copies a SQLite database.");
        }

        var copy = await backup.WriteCopyAsync(cancellationToken);
        // Deleted when the response has been sent, or the client went away.
        var stream = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous | FileOptions.SequentialScan);
        var name = $"ipam-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.db";
        return TypedResults.File(stream, ContentType, name);
    }
}
