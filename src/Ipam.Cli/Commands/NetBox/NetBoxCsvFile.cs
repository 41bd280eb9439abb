using Sylvan.Data.Csv;

namespace Ipam.Cli.Commands.NetBox;

/// <summary>
/// A CSV file exported from NetBox: prefixes (a <c>prefix</c> column) or IP addresses (an <c>address</c> column).
/// Both of NetBox's exports are read: "all data", whose headers are field names (<c>dns_name</c>), and the table
/// view, whose headers are the columns' titles (<c>DNS Name</c>, <c>IP Address</c>).
/// </summary>
internal sealed class NetBoxCsvFile
{
    private static readonly Dictionary<string, string> TitleToField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ip address"] = "address",
        ["ip_address"] = "address",
        ["dns name"] = "dns_name",
    };

    private NetBoxCsvFile(NetBoxFileKind kind, List<NetBoxRow> rows)
    {
        Kind = kind;
        Rows = rows;
    }

    public NetBoxFileKind Kind { get; }

    public IReadOnlyList<NetBoxRow> Rows { get; }

    public static NetBoxCsvFile Read(FileInfo path)
    {
        try
        {
            using var reader = new StreamReader(path.FullName);
            using var csv = CsvDataReader.Create(reader, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',' });
            var columns = Enumerable.Range(0, csv.FieldCount).Select(i => Field(csv.GetName(i))).ToArray();
            var kind = columns.Contains("prefix") ? NetBoxFileKind.Prefixes
                : columns.Contains("address") ? NetBoxFileKind.IpAddresses
                : throw new CliException(
                    $"{path.Name} is neither NetBox's prefixes (a 'prefix' column) nor its IP addresses (an 'address' column); nothing was imported",
                    ExitCodes.Failed);
            var rows = new List<NetBoxRow>();
            while (csv.Read())
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Length && i < csv.RowFieldCount; i++)
                {
                    values[columns[i]] = csv.GetString(i);
                }

                // RowNumber counts the data rows; the header is line 1.
                rows.Add(new NetBoxRow(path.Name, csv.RowNumber + 1, values));
            }

            return new NetBoxCsvFile(kind, rows);
        }
        catch (CsvFormatException e)
        {
            throw new CliException($"{path.Name} is not a CSV file NetBox wrote (line {e.RowNumber}); nothing was imported", ExitCodes.Failed, e);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {path.FullName}: {e.Message}", ExitCodes.Failed, e);
        }
    }

    private static string Field(string header)
    {
        var trimmed = header.Trim();
        return TitleToField.TryGetValue(trimmed, out var field) ? field : trimmed.ToLowerInvariant();
    }
}
