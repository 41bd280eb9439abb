using System.CommandLine.Parsing;

namespace Ipam.Cli.Commands;

/// <summary>What validators ask of a parsed command, and how they report.</summary>
internal static class CommandResults
{
    /// <summary>Whether <paramref name="option"/> was given; only that, as its value may not have parsed.</summary>
    public static bool Given(this CommandResult result, Option option) => result.GetResult(option) is not null;

    /// <summary>Whether <paramref name="argument"/> was given; only that, as its value may not have parsed.</summary>
    public static bool Given(this CommandResult result, Argument argument) => result.GetResult(argument) is not null;

    /// <summary>"Give --a or --b, not both." when both were given, otherwise null.</summary>
    public static string? BothGiven(this CommandResult result, Option first, Option second) =>
        result.Given(first) && result.Given(second) ? $"Give {first.Name} or {second.Name}, not both." : null;

    /// <summary>Reports the first of <paramref name="problems"/> that is not null: each rule assumes the ones before it hold.</summary>
    public static void AddFirstError(this CommandResult result, params ReadOnlySpan<string?> problems)
    {
        foreach (var problem in problems)
        {
            if (problem is not null)
            {
                result.AddError(problem);
                return;
            }
        }
    }
}
