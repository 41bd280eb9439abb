namespace Ipam.Cli.Output;

/// <summary>A column of a list table: its header, and the cell it shows for an item.</summary>
internal sealed record Column<T>(string Header, Func<T, string> Cell, bool RightAligned = false);
