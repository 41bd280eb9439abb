namespace Ipam;

/// <summary>
/// The characters free text may not hold: the server refuses them and the CLI shows them escaped. They are the C0
/// and C1 controls and DEL (a terminal runs them); every bidi control: the marks (U+061C ARABIC LETTER MARK,
/// U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK) and the embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069), which make text read as something else; and the invisible U+200B ZERO WIDTH
/// SPACE, U+2060 WORD JOINER and U+FEFF ZERO WIDTH NO-BREAK SPACE (the byte order mark), which make two values that
/// look the same differ. The zero width non-joiner and joiner (U+200C, U+200D) stay allowed: scripts such as Persian
/// and the emoji sequences need them.
/// </summary>
public static class UnsafeText
{
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200B' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

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
