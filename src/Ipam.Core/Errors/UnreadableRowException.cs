namespace Ipam.Errors;

/// <summary>
/// A stored row holds a value that no write of the service leaves (an edit by hand in the sqlite3 shell or psql, a
/// partial restore), so the request that needed it fails with nothing changed. <c>ipam check</c> lists every such row.
/// </summary>
public sealed class UnreadableRowException(UnreadableRow row)
    : IpamException(ErrorCodes.UnreadableRow, "A stored row cannot be read.",
        $"The {row.Table} row {row.Key} cannot be read: {row.Problem}. Nothing was changed; 'ipam check' lists every such row.",
        new Dictionary<string, object?> { ["table"] = row.Table, ["key"] = row.Key })
{
    public UnreadableRow Row { get; } = row;
}
