namespace Ipam;

/// <summary>
/// The rule every free-text value (a name, owner, description or tenant id) follows, wherever it comes from: a request,
/// a query parameter or an imported address plan.
/// </summary>
public static class FreeText
{
    /// <summary>The longest value, in characters (Unicode scalar values, so an emoji counts once).</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// <paramref name="text"/> if it holds at most <see cref="MaxLength"/> characters and nothing
    /// <see cref="UnsafeText"/> refuses; otherwise an <c>invalid-request</c> naming <paramref name="field"/>. Null stays null.
    /// </summary>
    public static string? Check(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > MaxLength && Length(text) is var length and > MaxLength)
        {
            throw ValidationException.InvalidRequest(field, $"{field} must be at most {MaxLength} characters, not {length}.");
        }

        var unsafeAt = UnsafeText.IndexOfUnsafe(text);
        return unsafeAt < 0
            ? text
            : throw ValidationException.InvalidRequest(field,
                $"{field} must not contain control characters, bidi controls or invisible characters (U+{(int)text[unsafeAt]:X4} at position {unsafeAt}).");
    }

    private static int Length(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
