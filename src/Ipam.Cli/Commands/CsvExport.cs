using System.Text;

namespace Ipam.Cli.Commands;

/// <summary>
/// One RFC 4180 file per list (address_scopes.csv, subnet_pools.csv, subnets.csv, allocations.csv), a header row of
/// the field names first. A list value is one cell, its elements joined by ';' (an allocation pool as start-end).
/// </summary>
internal static class CsvExport
{
    /// <summary>
    /// Writes every file as a <see cref="PartialFile"/> and gives them their names only once all four are whole, so an
    /// export that fails leaves the files of the last one as they were.
    /// </summary>
    /// <summary>The files an export writes into <paramref name="directory"/>.</summary>
    public static IEnumerable<string> Files(string directory) => ExportSection.All.Select(section => Path.Combine(directory, section.Name + ".csv"));

    public static async Task<int> WriteAsync(ApiClient api, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var items = 0;
        var run = new ExportRun();
        var written = new List<PartialFile>();
        try
        {
            foreach (var section in ExportSection.All)
            {
                var partial = new PartialFile(Path.Combine(directory, section.Name + ".csv"));
                written.Add(partial);
                await using var file = new StreamWriter(partial.Create(), new UTF8Encoding(false));
                file.NewLine = "\r\n";
                await file.WriteLineAsync(string.Join(',', section.Fields));
                await foreach (var item in section.Items(api, run, cancellationToken))
                {
                    await file.WriteLineAsync(string.Join(',', section.Fields.Select(f => Quote(Cell(ExportSection.Field(item, f))))));
                    items++;
                }
            }

            written.ForEach(partial => partial.Commit());
            return items;
        }
        finally
        {
            written.ForEach(partial => partial.Dispose());
        }
    }

    public static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(';', value.EnumerateArray().Select(Cell)),
        JsonValueKind.Object when value.TryGetProperty("start", out var start) && value.TryGetProperty("end", out var end) => $"{start.GetString()}-{end.GetString()}",
        _ => value.GetRawText(),
    };
}
