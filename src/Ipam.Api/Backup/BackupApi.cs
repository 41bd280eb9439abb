using Microsoft.OpenApi;

namespace Ipam.Api.Backup;

/// <summary>
/// <c>GET /v1/backup</c>: a consistent copy of a SQLite server's database file, taken while it serves
/// (<c>ipam backup</c>). PostgreSQL is backed up with its own tools.
/// </summary>
public static partial class BackupApi
{
    public const string ContentType = "application/vnd.sqlite3";

    public static IEndpointRouteBuilder MapBackup(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/backup").WithTags("Backup").RequireAuthorization(BearerToken.AdminPolicy);
        group.WithRequestTimeout(RequestDeadline.WholeDatabase);
        group.MapGet("/", DownloadBackup).WithName(nameof(DownloadBackup))
            .WithSummary("A consistent copy of the SQLite database, as of one moment, as a file (admins; writes go on meanwhile).")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The body is the file's bytes, not a JSON value.
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                {
                    response.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    };
                }

                return Task.CompletedTask;
            })
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
        return routes;
    }

    public static async Task<FileStreamHttpResult> DownloadBackup(
        IIpamStore store, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (store is not IOnlineBackup backup)
        {
            throw new NotSupportedByStoreException(
                "This server keeps its data in PostgreSQL, which is backed up with pg_dump or PostgreSQL's WAL archiving; " +
                "GET /v1/backup copies a SQLite database.");
        }

        var started = clock.GetTimestamp();
        // Disposed, and so deleted, once the response has been sent or the client went away.
        var copy = await backup.WriteCopyAsync(cancellationToken);
        LogCopied(loggers.CreateLogger(typeof(BackupApi)), copy.Length, clock.GetElapsedTime(started).TotalSeconds);
        var name = $"ipam-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.db";
        return TypedResults.File(copy, ContentType, name);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Copied the database for a backup: {Bytes} bytes in {Seconds:0.0} s")]
    private static partial void LogCopied(ILogger logger, long bytes, double seconds);
}
