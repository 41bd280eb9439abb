using Ipam.Cli.Commands.NetBox;
using Ipam.Import;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam import FILE</c>: sends an export document (or one made from NetBox's CSV exports); the server loads all
/// of it or nothing.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(ClientOptions client)
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "A document written by 'ipam export' (JSON); with --from netbox, NetBox's prefixes and IP addresses CSV exports.",
            Arity = ArgumentArity.OneOrMore,
        };
        var from = new Option<string>("--from")
        {
            Description = "ipam: an 'ipam export' document; netbox: CSV files exported from NetBox (IPAM → Prefixes and IP Addresses → Export).",
            DefaultValueFactory = _ => "ipam",
        };
        from.AcceptOnlyFromAmong("ipam", "netbox");
        var command = new Command("import", "Import an address plan, all or nothing; ids are kept. Needs an admin token when the server requires tokens.")
        {
            files, from,
        }.WithExamples(
            "ipam import plan.json",
            "ipam import --from netbox netbox_prefixes.csv netbox_ip_addresses.csv");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var paths = parseResult.GetRequiredValue(files);
            var netBox = parseResult.GetValue(from) == "netbox";
            if (!netBox && paths.Length != 1)
            {
                throw new UsageException("an 'ipam export' document is one file; several files are read only with --from netbox");
            }

            foreach (var path in paths)
            {
                if (Directory.Exists(path.FullName))
                {
                    throw new UsageException($"{path.FullName} is a directory; ipam import reads a file");
                }

                CheckSize(path);
            }

            var progress = new ImportProgress(context.Terminal, paths.Length + 1);
            var skipped = 0;
            JsonElement response;
            await using (progress)
            {
                JsonObject body;
                NetBoxImport? plan = null;
                if (netBox)
                {
                    List<NetBoxCsvFile> read = [.. paths.Select(p => progress.Step($"reading {p.Name}", () => NetBoxCsvFile.Read(p)))];
                    plan = NetBoxPlan.Build(read);
                    (body, skipped) = (plan.Document, plan.SkippedContainers);
                }
                else
                {
                    body = await progress.StepAsync($"reading {paths[0].Name}", () => ReadAsync(paths[0], cancellationToken));
                }

                try
                {
                    response = await progress.StepAsync(
                        $"importing {Count(body, "subnets")} subnet(s) and {Count(body, "allocations")} allocation(s), all or nothing",
                        () => context.Api.PostAsync(Paths.Import, body, idempotencyKey: null, cancellationToken));
                }
                catch (ApiException refused) when (plan is not null)
                {
                    throw plan.Locate(refused);
                }
            }

            if (context.Json)
            {
                context.Terminal.WriteJson(response);
                return;
            }

            var counts = ApiClient.Read<ImportCounts>(response);
            context.Terminal.WriteLine(
                $"Imported {counts.AddressScopes} address scope(s), {counts.SubnetPools} subnet pool(s), {counts.Subnets} subnet(s), {counts.Allocations} allocation(s).");
            if (skipped > 0)
            {
                context.Terminal.Note($"Skipped {skipped} container prefix(es): they group subnets and hold no addresses; make them subnet pools if they should hand out prefixes.");
            }
        });
        return command;
    }

    /// <summary>
    /// A file over the server's limit on a whole import cannot be sent, whatever it holds; saying so before it
    /// is read keeps the CLI's memory bounded too.
    /// </summary>
    private static void CheckSize(FileInfo path)
    {
        if (path.Exists && path.Length > ImportDocument.MaxBytes)
        {
            throw new CliException(
                $"{path.Name} is {path.Length / (1024.0 * 1024):N1} MiB, over the {ImportDocument.MaxBytes >> 20} MiB an import can hold; nothing was imported",
                ExitCodes.Failed);
        }
    }

    private static int Count(JsonObject body, string section) => body[section] is JsonArray items ? items.Count : 0;

    /// <summary>
    /// Reads the document whole first: a device or a pipe (<c>/dev/null</c>, <c>&lt;(…)</c>) tells its length only by
    /// ending, and an empty one is a wrong path rather than a broken document. The path is named as given.
    /// </summary>
    private static async Task<JsonObject> ReadAsync(FileInfo path, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream();
            await using (var stream = path.OpenRead())
            {
                await stream.CopyToAsync(content, cancellationToken);
            }

            if (content.Length == 0)
            {
                throw new UsageException($"{path} is empty; ipam import reads a document written by 'ipam export'");
            }

            content.Position = 0;
            return await JsonNode.ParseAsync(content, cancellationToken: cancellationToken) as JsonObject
                ?? throw new CliException($"{path} is not an export document (a JSON object)", ExitCodes.Failed);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); nothing was imported", ExitCodes.Failed, e);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {path.FullName}: {e.Message}", ExitCodes.Failed, e);
        }
    }
}
