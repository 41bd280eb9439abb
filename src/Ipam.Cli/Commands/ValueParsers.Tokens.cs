using System.CommandLine.Parsing;
using Ipam.Tokens;

namespace Ipam.Cli.Commands;

internal static partial class ValueParsers
{
    /// <summary>A token's lifetime (<see cref="TokenLifetime"/>): <c>90d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>.</summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = Single(result);
        if (TokenLifetime.TryParse(text, out var lifetime))
        {
            return lifetime;
        }

        result.AddError($"{OptionName(result)} takes {TokenLifetime.Form}; not {Messages.Quote(text)}.");
        return null;
    }
}
