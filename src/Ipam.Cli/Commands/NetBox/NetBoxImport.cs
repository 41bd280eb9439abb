using System.Text.RegularExpressions;
using Ipam.Errors;

namespace Ipam.Cli.Commands.NetBox;

/// <summary>
/// The export document made from NetBox's files, how many container prefixes it left out, and the line each of its
/// subnets and allocations came from.
/// </summary>
internal sealed partial record NetBoxImport(JsonObject Document, int SkippedContainers, IReadOnlyList<NetBoxRow> SubnetRows, IReadOnlyList<NetBoxRow> AllocationRows)
{
    /// <summary>
    /// The server's refusal of one item (<c>allocations[3]: ...</c>, <c>subnets[0].name ...</c>) told by the file and line
    /// it came from, as a refusal the files' own reading finds is; any other refusal as it is.
    /// </summary>
    public CliException Locate(ApiException refused)
    {
        var item = ItemPath().Match(refused.Message);
        if (!item.Success || !int.TryParse(item.Groups["index"].Value, CultureInfo.InvariantCulture, out var index))
        {
            return refused;
        }

        var rows = item.Groups["section"].Value == "subnets" ? SubnetRows : AllocationRows;
        if (index >= rows.Count)
        {
            return refused;
        }

        var message = refused.Message.Remove(item.Index, item.Length).Replace("; nothing was imported", "", StringComparison.Ordinal).TrimEnd('.', ' ');
        if (refused.Code == ErrorCodes.AlreadyExists && rows == SubnetRows)
        {
            message += " (the prefix was imported before: a NetBox prefix is given the same id on every import)";
        }

        return rows[index].Error(message);
    }

    [GeneratedRegex(@"(?<section>subnets|allocations)\[(?<index>\d+)\](\.[a-z_]+)?:? ?")]
    private static partial Regex ItemPath();
}
