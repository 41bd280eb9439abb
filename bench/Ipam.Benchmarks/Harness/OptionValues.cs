using System.Globalization;

namespace Ipam.Benchmarks.Harness;

/// <summary>Numbers read from the command line, refused with a message that names the option.</summary>
internal static class OptionValues
{
    public static T Number<T>(string name, string text)
        where T : IParsable<T> =>
        T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BenchOptionException($"{name} takes a number, not '{text}'.");

    /// <summary>A comma-separated list of numbers, such as <c>--clients 1,4,16</c>.</summary>
    public static int[] Numbers(string name, string text) => [.. text.Split(',').Select(n => Number<int>(name, n))];
}
