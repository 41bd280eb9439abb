using Ipam.Api.Allocations;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ipam.Cli.Output;

/// <summary>Tables for address allocations.</summary>
internal static class AllocationViews
{
    public static IRenderable List(IReadOnlyList<AllocationDto> allocations)
    {
        if (allocations.Count == 0)
        {
            return new Text("No allocations." + Environment.NewLine);
        }

        var table = Tables.Create("ADDRESS", "OWNER", "DESCRIPTION", "CREATED", "EXPIRES");
        foreach (var a in allocations)
        {
            Tables.AddRow(table, a.IpAddress, Formats.Text(a.Owner), Formats.Text(a.Description), Formats.Time(a.CreatedAt), Formats.Time(a.ExpiresAt));
        }

        return table;
    }
}
