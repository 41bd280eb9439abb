using System.Text;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam export</c>: the address plan, page by page, as one JSON document or as CSV files.</summary>
internal static class ExportCommand
{
    public static Command Create(ClientOptions client)
    {
        var format = new Option<string>("--format") { Description = "json: one document (what 'ipam import' reads); csv: one file per list.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "json: the file to write (default: standard output); csv: the directory for the four files (required).",
            HelpName = "PATH",
        };
        var force = new Option<bool>("--force") { Description = "Replace what exists at PATH (json: the file; csv: the four files in the directory)." };
        var command = new Command("export", "Export address scopes, subnet pools, subnets and allocations.")
        {
            format, output, force,
        }.WithExamples(
            "ipam export > plan.json",
            "ipam export --output plan.json",
            "ipam export --output plan.json --force",
            "ipam export --format csv --output plan/");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(output);
            var replace = parseResult.GetValue(force);
            int items;
            if (parseResult.GetValue(format) == "csv")
            {
                path = path ?? throw new UsageException("--format csv needs --output DIRECTORY");
                if (File.Exists(path))
                {
                    throw new UsageException(
                        $"{Path.GetFullPath(path)} already exists and is a file; --format csv writes four files into a directory");
                }

                if (!replace && CsvExport.Files(path).FirstOrDefault(File.Exists) is { } existing)
                {
                    throw new UsageException($"{Path.GetFullPath(existing)} exists; add --force to replace the files of the last export");
                }

                items = await CsvExport.WriteAsync(context.Api, path, cancellationToken);
            }
            else if (path is null)
            {
                items = await JsonExport.WriteAsync(context.Api, context.Terminal.Out, cancellationToken);
                return;
            }
            else
            {
                items = await WriteFileAsync(context.Api, Path.GetFullPath(path), replace, cancellationToken);
            }

            context.Confirm($"Exported {items} item(s) to {path}.");
        }, "Print no confirmation line after writing --output (the export itself is JSON either way); a refusal as the server's JSON problem document.");
        return command;
    }

    /// <summary>
    /// Writes the document as a <see cref="PartialFile"/>: an export that fails leaves the last one as it was, and what
    /// exists at the path is replaced only with <paramref name="replace"/>.
    /// </summary>
    private static async Task<int> WriteFileAsync(ApiClient api, string path, bool replace, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{path} is a directory; --output takes the file to write");
        }

        PartialFile.ThrowIfTaken(path, replace);

        if (Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
        {
            throw new UsageException($"the directory {directory} does not exist");
        }

        using var partial = new PartialFile(path);
        int items;
        await using (var stream = partial.Create())
        await using (var file = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            items = await JsonExport.WriteAsync(api, file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        partial.Commit();
        return items;
    }
}
