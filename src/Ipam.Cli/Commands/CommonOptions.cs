using System.CommandLine.Parsing;

namespace Ipam.Cli.Commands;

/// <summary>Options that several commands take in the same form, and the form of an option that takes a value.</summary>
internal static class CommonOptions
{
    /// <summary>An option that takes a value, shown in help as <paramref name="helpName"/>.</summary>
    public static Option<string> Value(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>An option whose value <paramref name="parser"/> reads and checks (one of <see cref="ValueParsers"/>).</summary>
    public static Option<T> Parsed<T>(string name, string helpName, Func<ArgumentResult, T?> parser, string description) =>
        new(name) { Description = description, HelpName = helpName, CustomParser = parser };

    /// <summary><c>--tenant</c> of a create command.</summary>
    public static Option<string> OwningTenant() => Value("--tenant", "ID", "The owning tenant (project) id.");

    /// <summary><c>--tenant</c> of a list command, e.g. "Only subnets of this tenant."</summary>
    public static Option<string> TenantFilter(string items) => Value("--tenant", "ID", $"Only {items} of this tenant.");

    /// <summary><c>--ip-version</c> of a list command, e.g. "Only IPv4 (4) or IPv6 (6) subnets."</summary>
    public static Option<int?> IpVersionFilter(string items)
    {
        var option = new Option<int?>("--ip-version") { Description = $"Only IPv4 (4) or IPv6 (6) {items}.", HelpName = "4|6" };
        option.AcceptOnlyFromAmong("4", "6");
        return option;
    }
}
