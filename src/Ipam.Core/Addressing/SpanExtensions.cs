namespace Ipam.Addressing;

internal static class SpanExtensions
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');
}
