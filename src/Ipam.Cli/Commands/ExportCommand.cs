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
        var command = new Command("export", "Export address scopes, subnet pools, subnets and allocations.")
        {
            format, output,
        }.WithExamples(
            "ipam export > plan.json",
            "ipam export --output plan.json",
            "ipam export --format csv --output plan/");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(output);
            int items;
            if (parseResult.GetValue(format) == "csv")
            {
                items = await CsvExport.WriteAsync(context.Api, path ?? throw new UsageException("--format csv needs --output DIRECTORY"), cancellationToken);
            }
            else if (path is null)
            {
                items = await JsonExport.WriteAsync(context.Api, context.Terminal.Out, cancellationToken);
                return;
            }
            else
            {
                await using var file = new StreamWriter(path, append: false, new UTF8Encoding(false));
                items = await JsonExport.WriteAsync(context.Api, file, cancellationToken);
            }

            context.Confirm($"Exported {items} item(s) to {path}.");
        });
        return command;
    }
}
