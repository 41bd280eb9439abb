using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ipam.Cli.Client;
using Ipam.Import;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam import FILE</c>: sends an export document; the server loads all of it or nothing.</summary>
internal static class ImportCommand
{
    public static Command Create(ClientOptions client)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A document written by 'ipam export' (JSON)." };
        var command = new Command("import", "Import an address plan, all or nothing; ids are kept. Needs an admin token when the server requires tokens.")
        {
            file,
        }.WithExamples("ipam import plan.json");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            var body = await ReadAsync(path, cancellationToken);
            var response = await context.Api.PostAsync(Paths.Import, body, idempotencyKey: null, cancellationToken);
            if (context.Json)
            {
                context.Terminal.WriteJson(response);
                return;
            }

            var counts = ApiClient.Read<ImportCounts>(response);
            context.Terminal.WriteLine(
                $"Imported {counts.AddressScopes} address scope(s), {counts.SubnetPools} subnet pool(s), {counts.Subnets} subnet(s), {counts.Allocations} allocation(s).");
        });
        return command;
    }

    private static async Task<JsonObject> ReadAsync(FileInfo path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = path.OpenRead();
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject
                ?? throw new CliException($"{path.Name} is not an export document (a JSON object)", ExitCodes.Failed);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path.Name} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); nothing was imported", ExitCodes.Failed, e);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {path.FullName}: {e.Message}", ExitCodes.Failed, e);
        }
    }
}
