namespace Ipam.Import;

public sealed class ImportedRange
{
    public string? Start { get; set; }

    public string? End { get; set; }
}
