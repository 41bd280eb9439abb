namespace Ipam;

/// <summary>
/// The characters free text may not hold: the server refuses them and the CLI shows them escaped. They are the C0
/// and C1 controls and DEL (a terminal runs them) and the bidi embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069), which make text read as something else.
/// </summary>
public static class UnsafeText
{
    public static bool IsUnsafe(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The index of the first unsafe character, or -1.</summary>
    public static int IndexOfUnsafe(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
