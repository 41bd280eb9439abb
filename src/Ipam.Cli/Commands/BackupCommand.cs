using System.Text;
using Ipam.Api.Backup;
using Ipam.Api.Hosting;
using Ipam.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam backup FILE</c>: a consistent copy of a SQLite server's database, taken by the server while it serves (it
/// may hold the file for itself alone), downloaded, checked, and only then given its name.
/// </summary>
internal static class BackupCommand
{
    private const string BackupPath = "v1/backup";

    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public static Command Create(ClientOptions client)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Where to write the copy (a SQLite database file)." };
        var force = new Option<bool>("--force") { Description = "Replace FILE if it exists." };
        var database = ServeCommand.DatabaseOption(withDefault: false);
        database.HelpName = "sqlite:PATH";
        database.Description = "Copy this SQLite file directly, without a server (none may be serving it): sqlite:PATH.";
        var command = new Command("backup",
            "Copy the database of a server on SQLite to FILE while it keeps serving: one consistent moment, checked with " +
            "SQLite's quick_check before it is given its name. Needs an admin token when the server requires tokens. " +
            "A server on PostgreSQL refuses; use pg_dump there. With --database, copies a file no server is serving.")
        {
            file, force, database,
        }.WithExamples(
            "ipam backup /var/backups/ipam-$(date +%F).db",
            "ipam backup ipam-copy.db --force",
            "ipam backup ipam-copy.db --database sqlite:/var/lib/ipam/ipam.db");
        client.RefuseOn(command, "with --database, ipam backup copies the file itself, without one", onlyWith: database);
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var target = parseResult.GetRequiredValue(file);
            var replace = parseResult.GetValue(force);
            var offline = parseResult.GetValue(database) is { } source
                ? DatabaseLocation.TryParse(source, out var location, out var error) ? location : throw new UsageException(error)
                : null;
            if (Directory.Exists(target.FullName))
            {
                throw new UsageException($"{target.FullName} is a directory; FILE is the file to write");
            }

            PartialFile.ThrowIfTaken(target.FullName, replace);

            if (SqliteDatabaseFile.IsServed(target.FullName))
            {
                throw new UsageException(
                    $"{target.FullName} is the database a running server serves; a backup over it would be lost with every change the server makes after it. Write the backup to another file");
            }

            if (target.Directory is { Exists: false } directory)
            {
                throw new UsageException($"the directory {directory.FullName} does not exist");
            }

            using var partial = new PartialFile(target.FullName);
            long length;
            await using (var stream = partial.Create())
            {
                length = offline is null
                    ? await context.Api.DownloadAsync(BackupPath, BackupApi.ContentType, stream, cancellationToken)
                    : await OfflineBackup.CopyAsync(offline, stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            Check(partial.Path);
            partial.Commit(overwrite: replace);
            Report(context, target.FullName, length);
        }, "Print the copy's path and size as JSON ({\"path\": ..., \"bytes\": ...}) instead of a sentence; a refusal as the server's JSON problem document.");
        return command;
    }

    /// <summary>The copy must be a whole SQLite database: a cut-off or foreign file is refused before it replaces anything.</summary>
    private static void Check(string path)
    {
        var header = new byte[SqliteHeader.Length];
        using (var stream = File.OpenRead(path))
        {
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
            {
                throw new CliException("the server's answer is not a SQLite database; nothing was written", ExitCodes.Failed);
            }
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        var verdict = command.ExecuteScalar() as string;
        if (verdict != "ok")
        {
            throw new CliException($"the copy failed SQLite's quick_check ({verdict}); nothing was written", ExitCodes.Failed);
        }
    }

    private static void Report(CommandContext context, string path, long length)
    {
        if (context.Json)
        {
            context.Terminal.WriteJson(JsonSerializer.SerializeToElement(new { path, bytes = length }));
            return;
        }

        context.Terminal.WriteLine($"Wrote a consistent copy of the database to {path} ({Size(length)}).");
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 20 => $"{bytes / 1024.0:0.#} KiB",
        < 1L << 30 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };
}
