namespace Ipam.Storage;

/// <summary>
/// A stored row the service cannot read: <see cref="Table"/>, the row's <see cref="Key"/> as its columns hold it
/// (an unreadable value in hex or quoted), and what is wrong with it.
/// </summary>
public sealed record UnreadableRow(string Table, string Key, string Problem);
