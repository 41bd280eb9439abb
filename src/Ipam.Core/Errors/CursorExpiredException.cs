namespace Ipam.Errors;

/// <summary>
/// An events cursor older than the change log's retention: some change after it was pruned before the caller read it,
/// so going on from the oldest change kept would skip it without a word. <paramref name="cursor"/> is the cursor as the
/// caller gave it (sealed for a caller limited to a tenant), named by <paramref name="field"/> (<c>after</c> or
/// <c>Last-Event-ID</c>).
/// </summary>
public sealed class CursorExpiredException(string field, string cursor)
    : IpamException(
        ErrorCodes.CursorExpired,
        "The events cursor has expired.",
        $"Changes after cursor {cursor} ({field}) were removed by the change log's retention before they were read. " +
        "Resynchronize from the current state, then follow again from after=0 (the oldest change kept) or with tail.",
        new Dictionary<string, object?> { ["after"] = cursor });
