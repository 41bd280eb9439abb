using System.CommandLine;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// The options that take one of a few words, per workload, checked by System.CommandLine before anything runs: a
/// value outside them is one line naming the option and the words it takes (the workloads read the values later,
/// through <see cref="BenchContext.Option"/>, and need not check them again). Every other argument passes through
/// unchecked here.
/// </summary>
internal static class ChoiceOptions
{
    public static readonly string[] Stores = ["sqlite", "postgres"];

    public static readonly string[] StoresOrBoth = ["sqlite", "postgres", "postgresql", "both"];

    public static readonly string[] Strategies = ["random", "next", "both"];

    private static readonly Dictionary<string, (string Option, string[] Values)[]> ByWorkload = new()
    {
        ["scale"] = [("--store", Stores)],
        ["pool"] = [("--store", Stores)],
        ["concurrent"] = [("--store", StoresOrBoth)],
        ["specific"] = [("--store", StoresOrBoth)],
        ["churn"] = [("--store", StoresOrBoth)],
        ["fill"] = [("--strategy", Strategies)],
        ["http-fill"] = [("--strategy", Strategies)],
        // `all` runs concurrent, specific, churn, fill and http-fill with the options given.
        ["all"] = [("--store", StoresOrBoth), ("--strategy", Strategies)],
    };

    /// <summary>The first bad choice in <paramref name="arguments"/> for <paramref name="workload"/> as one line, or null when there is none.</summary>
    public static string? Check(string workload, IReadOnlyList<string> arguments)
    {
        if (!ByWorkload.TryGetValue(workload, out var choices))
        {
            return null;
        }

        var command = new RootCommand { TreatUnmatchedTokensAsErrors = false };
        foreach (var (name, values) in choices)
        {
            command.Options.Add(Choice(name, values));
        }

        return command.Parse([.. arguments]).Errors.FirstOrDefault()?.Message;
    }

    /// <summary>The one line that refuses <paramref name="value"/> for <paramref name="name"/>, naming the words it takes.</summary>
    public static string Refusal(string name, string[] values, string? value) => $"{name} takes {string.Join(", ", values)}, not '{value}'.";

    private static Option<string> Choice(string name, string[] values)
    {
        var option = new Option<string>(name);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!values.Contains(value, StringComparer.Ordinal))
            {
                result.AddError(Refusal(name, values, value));
            }
        });
        return option;
    }
}
