using Ipam.Api.Allocations;

namespace Ipam.Cli.Output;

/// <summary>Tables for address allocations.</summary>
internal static class AllocationViews
{
    public static IRenderable List(IReadOnlyList<AllocationDto> allocations) => Tables.List(
        allocations,
        "No allocations.",
        new("ADDRESS", a => a.IpAddress),
        new("OWNER", a => Formats.Text(a.Owner), Wraps: true),
        new("DESCRIPTION", a => Formats.Text(a.Description), Wraps: true),
        new("CREATED", a => Formats.Time(a.CreatedAt)),
        new("EXPIRES", a => Formats.Time(a.ExpiresAt)));
}
