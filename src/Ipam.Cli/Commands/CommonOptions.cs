namespace Ipam.Cli.Commands;

/// <summary>Options that several commands take in the same form.</summary>
internal static class CommonOptions
{
    /// <summary><c>--tenant</c> of a create command.</summary>
    public static Option<string> OwningTenant() => new("--tenant") { Description = "The owning tenant (project) id.", HelpName = "ID" };

    /// <summary><c>--tenant</c> of a list command, e.g. "Only subnets of this tenant."</summary>
    public static Option<string> TenantFilter(string items) => new("--tenant") { Description = $"Only {items} of this tenant.", HelpName = "ID" };

    /// <summary><c>--ip-version</c> of a list command, e.g. "Only IPv4 (4) or IPv6 (6) subnets."</summary>
    public static Option<int?> IpVersionFilter(string items)
    {
        var option = new Option<int?>("--ip-version") { Description = $"Only IPv4 (4) or IPv6 (6) {items}.", HelpName = "4|6" };
        option.AcceptOnlyFromAmong("4", "6");
        return option;
    }
}
