namespace Ipam.Cli.Commands.NetBox;

/// <summary>One data line of a NetBox CSV export, its values by column name (lower case, as NetBox names fields).</summary>
internal sealed record NetBoxRow(string File, int Line, IReadOnlyDictionary<string, string> Values)
{
    public string? this[string column] => Values.TryGetValue(column, out var value) && value.Trim().Length > 0 ? value.Trim() : null;

    public CliException Error(string message) => new($"{File} line {Line}: {message}; nothing was imported", ExitCodes.Failed);
}
