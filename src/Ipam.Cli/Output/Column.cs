namespace Ipam.Cli.Output;

/// <summary>
/// A column of a list table: its header, and the cell it shows for an item. Only a column of free text (names, owners,
/// descriptions) <paramref name="Wraps"/>: the others hold values that are copied whole (ids, addresses, CIDRs, numbers,
/// times), and a table never breaks them to fit the terminal (see <see cref="WordsKeptWhole"/>).
/// </summary>
internal sealed record Column<T>(string Header, Func<T, string> Cell, bool RightAligned = false, bool Wraps = false);
