using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Ipam.Api.Events;

/// <summary>
/// The cursor of the events feed: a change's position in commit order. A caller who sees every change gets it as
/// decimal text. A caller limited to one tenant gets it sealed (AES under the database's key, as <c>c</c> and 22
/// base64url characters): positions count every tenant's changes, so the gaps between its own events' ids would tell
/// it how many changes the others made, and when. "0", the start of the log, is the same for everyone.
/// </summary>
internal sealed class EventCursor
{
    public static readonly EventCursor Plain = new(null);

    private const char SealedMark = 'c';

    /// <summary>The second half of every sealed block: a cursor that opens to anything else was not made here.</summary>
    private static readonly byte[] Tag = "ipam-evt"u8.ToArray();

    private readonly byte[]? key;

    private EventCursor(byte[]? key) => this.key = key;

    public static EventCursor Sealed(byte[] key) => new(key);

    public string Of(long sequence)
    {
        if (key is null || sequence == 0)
        {
            return sequence.ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> block = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(block, sequence);
        Tag.CopyTo(block[8..]);
        using var aes = Aes.Create();
        aes.Key = key;
        return SealedMark + Base64Url.EncodeToString(aes.EncryptEcb(block, PaddingMode.None));
    }

    /// <summary>The position <paramref name="text"/> names; anything else is an invalid request naming <paramref name="field"/>.</summary>
    public long Parse(string field, string text)
    {
        if (text == "0")
        {
            return 0;
        }

        if (key is null)
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain)
                ? plain
                : throw Invalid(field, text);
        }

        Span<byte> block = stackalloc byte[16];
        if (text.Length != 23 || text[0] != SealedMark || !Base64Url.TryDecodeFromChars(text.AsSpan(1), block, out var written) || written != 16)
        {
            throw Invalid(field, text);
        }

        using var aes = Aes.Create();
        aes.Key = key;
        var opened = aes.DecryptEcb(block, PaddingMode.None);
        var sequence = BinaryPrimitives.ReadInt64BigEndian(opened);
        return opened.AsSpan(8).SequenceEqual(Tag) && sequence > 0 ? sequence : throw Invalid(field, text);
    }

    private static ValidationException Invalid(string field, string text) =>
        ValidationException.InvalidRequest(field, $"'{text}' is not an events cursor of this caller; pass the id of an event or the next of a page.");
}
