using System.CommandLine.Parsing;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>subnet create --pool</c> values: allocation pool ranges (START-END), or the id of a subnet pool to allocate
/// the subnet's CIDR from.
/// </summary>
internal sealed record PoolChoice(Guid? SubnetPoolId, PoolRange[] Ranges);

/// <summary>An optional setting that can also be cleared: a value, or <c>none</c> (<see cref="Value"/> null).</summary>
internal sealed record Clearable<T>(T? Value)
    where T : struct;

internal static partial class ValueParsers
{
    /// <summary>A parser for the UUID of a <paramref name="kind"/>, pointing at <paramref name="listCommand"/> when it is not one.</summary>
    public static Func<ArgumentResult, Guid> ResourceId(string kind, string listCommand) => result =>
    {
        var text = Single(result);
        if (Guid.TryParseExact(text, "D", out var id))
        {
            return id;
        }

        var article = "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";
        result.AddError($"{Messages.Quote(text)} is not {article} {kind} id; {kind} ids are UUIDs such as 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70 (see '{listCommand}').");
        return Guid.Empty;
    };

    /// <summary><c>--pool</c> of <c>subnet create</c>: START-END ranges (repeated or comma-separated) and at most one subnet pool id.</summary>
    public static PoolChoice? PoolsOrSubnetPool(ArgumentResult result)
    {
        Guid? subnetPool = null;
        var ranges = new List<PoolRange>();
        foreach (var text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Guid.TryParseExact(text, "D", out var id))
            {
                if (subnetPool is not null && subnetPool != id)
                {
                    result.AddError("--pool names more than one subnet pool; a subnet comes from one.");
                    return null;
                }

                subnetPool = id;
                continue;
            }

            var parts = text.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !IsIpAddress(parts[0]) || !IsIpAddress(parts[1]))
            {
                result.AddError($"--pool takes START-END, e.g. 10.0.0.10-10.0.0.99, or a subnet pool id, not {Messages.Quote(text)}.");
                return null;
            }

            ranges.Add(new PoolRange(parts[0], parts[1]));
        }

        return new PoolChoice(subnetPool, [.. ranges]);
    }

    /// <summary>A non-negative integer (a quota).</summary>
    public static long? NonNegativeLong(ArgumentResult result)
    {
        var text = Single(result);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)} takes a non-negative integer, not {Messages.Quote(text)}.");
        return null;
    }

    /// <summary>A non-negative integer, or <c>none</c>.</summary>
    public static Clearable<long>? QuotaOrNone(ArgumentResult result) =>
        OrNone(result, "a non-negative integer", (string text, out long quota) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out quota));

    /// <summary>An address scope id, or <c>none</c>.</summary>
    public static Clearable<Guid>? ScopeOrNone(ArgumentResult result) =>
        OrNone(result, "an address scope id (a UUID, see 'ipam scope list')", (string text, out Guid id) =>
            Guid.TryParseExact(text, "D", out id));

    /// <summary><c>none</c> (a cleared setting), or a value as <paramref name="tryParse"/> reads it, which is <paramref name="what"/>.</summary>
    private static Clearable<T>? OrNone<T>(ArgumentResult result, string what, TryParseText<T> tryParse)
        where T : struct
    {
        var text = Single(result);
        if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new Clearable<T>(null);
        }

        if (tryParse(text, out var value))
        {
            return new Clearable<T>(value);
        }

        result.AddError($"{OptionName(result)} takes {what} or 'none', not {Messages.Quote(text)}.");
        return null;
    }

    private delegate bool TryParseText<T>(string text, out T value);

    /// <summary>CIDRs as repeated options or comma-separated in one; their syntax is left to the server.</summary>
    public static string[] Cidrs(ArgumentResult result) =>
        [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
