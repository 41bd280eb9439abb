using Ipam.Api.Events;

namespace Ipam.Cli.Output;

/// <summary>How <c>ipam events</c> prints an event: one line, time, type, subject, address, actor.</summary>
internal static class EventViews
{
    private const int TypeWidth = 21;

    /// <summary>The subject is the subnet, or for a subnet pool or address scope its id.</summary>
    public static string Line(EventDto item)
    {
        var subject = item.SubnetId?.ToString() ?? item.ResourceId?.ToString();
        var address = item.IpAddress is null ? Formats.Missing : item.Reason is { } reason && reason != "released" ? $"{item.IpAddress} ({reason})" : item.IpAddress;
        return $"{Formats.Time(item.At)}  {item.Type.PadRight(TypeWidth)}  {Formats.Text(subject),-36}  {address}  {item.Actor}";
    }
}
