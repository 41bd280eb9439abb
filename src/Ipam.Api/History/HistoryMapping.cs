using Ipam.Api.Events;
using Ipam.History;

namespace Ipam.Api.History;

internal static class HistoryMapping
{
    public static AllocationHistoryDto ToHistoryDto(this AllocationPeriod period) => new(
        period.Address.ToString(),
        period.Owner,
        period.Description,
        period.AllocatedAt,
        period.AllocatedBy,
        period.ReleasedAt,
        period.ReleasedBy,
        period.ReleaseReason);

    public static AddressHolderDto ToHolderDto(this AllocationPeriod period) => new(
        period.SubnetId,
        period.Cidr?.ToString(),
        period.Owner,
        period.Description,
        period.AllocatedAt,
        period.ReleasedAt,
        period.ReleaseReason);

    /// <summary>
    /// The cursor of a history page: the log position of its last period, sealed as the events feed seals it for a
    /// caller limited to a tenant (positions count every tenant's changes).
    /// </summary>
    public static string Cursor(this EventCursor cursors, AllocationPeriod period) => cursors.Of(period.Sequence);

    public static long? Sequence(this EventCursor cursors, string? cursor) =>
        cursor is null ? null
        : cursors.TryParse(cursor, out var sequence) && sequence > 0 ? sequence
        : throw ValidationException.InvalidRequest("cursor", $"'{cursor}' is not a cursor of this list.");

    /// <summary>
    /// The cursor of a page of an address's holders: the subnet id of its last holder, followed by a comma and the
    /// holding's end as <see cref="Cursor(EventCursor, AllocationPeriod)"/> writes it when the holding ended.
    /// </summary>
    public static string HolderCursor(this EventCursor cursors, AllocationPeriod period) =>
        period.Sequence == AllocationPeriod.Current ? period.SubnetId.ToString() : $"{period.SubnetId},{cursors.Of(period.Sequence)}";

    public static HolderKey? HolderKey(this EventCursor cursors, string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        var comma = cursor.IndexOf(',', StringComparison.Ordinal);
        var subnetText = comma < 0 ? cursor : cursor[..comma];
        var sequence = AllocationPeriod.Current;
        return Guid.TryParseExact(subnetText, "D", out var subnetId)
               && (comma < 0 || (cursors.TryParse(cursor[(comma + 1)..], out sequence) && sequence > 0))
            ? new HolderKey(subnetId, sequence)
            : throw ValidationException.InvalidRequest("cursor", $"'{cursor}' is not a cursor of this list.");
    }

    /// <summary>The cursor of an owner's page: the subnet id and address of its last allocation.</summary>
    public static string Cursor(AllocationKey key) => $"{key.SubnetId},{key.Address}";

    public static AllocationKey? Key(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        var comma = cursor.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && Guid.TryParseExact(cursor[..comma], "D", out var subnetId) && Addressing.IpAddress.TryParse(cursor[(comma + 1)..], out var address)
            ? new AllocationKey(subnetId, address)
            : throw ValidationException.InvalidRequest("cursor", $"'{cursor}' is not a cursor of this list.");
    }

    /// <summary>A time given as <see cref="TimeText"/> reads it (UTC when it names no offset); null stays null.</summary>
    public static DateTimeOffset? Time(string field, string? text) =>
        text is null ? null
        : TimeText.TryParse(text, out var time) ? time
        : TimeText.IsOutOfRange(text) ? throw ValidationException.InvalidRequest(field, Input.TimeOutOfRange(field))
        : throw ValidationException.InvalidRequest(field, $"'{text}' is not a time (expected an RFC 3339 date and time, e.g. {TimeText.Example}; UTC without an offset).{PlusHint(text)}");

    private const int OffsetLength = 6;

    /// <summary>
    /// A '+' left unencoded in a query string arrives as a space, so an offset such as <c>+01:00</c> reads
    /// <c> 01:00</c>: say so when putting the '+' back makes a time.
    /// </summary>
    private static string PlusHint(string text) =>
        text.Length > OffsetLength && text[^OffsetLength] == ' ' && TimeText.TryParse(string.Concat(text[..^OffsetLength], "+", text[^(OffsetLength - 1)..]), out _)
            ? " A '+' in a query string must be sent as %2B."
            : "";
}
