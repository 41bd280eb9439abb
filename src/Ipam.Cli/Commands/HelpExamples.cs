using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Ipam.Cli.Commands;

/// <summary>An "Examples:" section at the end of a command's --help, kept out of the one-line description.</summary>
internal static class HelpExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> Examples = [];

    public static TCommand WithExamples<TCommand>(this TCommand command, params string[] examples)
        where TCommand : Command
    {
        Examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>
    /// Makes the help option of <paramref name="root"/> (it applies to every subcommand) print the examples, and leave out
    /// the root's recursive options that <paramref name="notFor"/> says a command does not take.
    /// </summary>
    public static void Install(RootCommand root, Func<Command, IReadOnlyList<Option>> notFor)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction action)
        {
            help.Action = new WithExamplesAction(action, notFor);
        }
    }

    /// <summary>The standard help, then the examples of the command it is for.</summary>
    internal sealed class WithExamplesAction(HelpAction help, Func<Command, IReadOnlyList<Option>> notFor) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            // The help builder lists every recursive option of the parents and takes no filter; hiding is the one way to leave
            // one out, and the options are this command line's own, built for this one parse.
            var hidden = notFor(parseResult.CommandResult.Command).Where(o => !o.Hidden).ToList();
            hidden.ForEach(o => o.Hidden = true);
            int exitCode;
            try
            {
                exitCode = help.Invoke(parseResult);
            }
            finally
            {
                hidden.ForEach(o => o.Hidden = false);
            }

            if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine("  " + example);
                }

                output.WriteLine();
            }

            return exitCode;
        }
    }
}
