namespace Ipam.Cli.Commands.NetBox;

/// <summary>The export document made from NetBox's files, and how many container prefixes it left out.</summary>
internal sealed record NetBoxImport(JsonObject Document, int SkippedContainers);
