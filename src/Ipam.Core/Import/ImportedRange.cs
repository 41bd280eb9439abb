namespace Ipam.Import;

public sealed record ImportedRange(string? Start, string? End);
