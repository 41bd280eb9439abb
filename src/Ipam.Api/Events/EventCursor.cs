using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Ipam.Api.Events;

/// <summary>
/// The cursor of the events feed: a change's position in commit order. A caller who sees every change gets it as
/// decimal text. A caller limited to one tenant gets it sealed (AES under the database's key, as <c>c</c> and 22
/// base64url characters): positions count every tenant's changes, so the gaps between its own events' ids would tell
/// it how many changes the others made, and when. A sealed cursor opens only for the tenant it was made for. "0", the
/// start of the log, is the same for everyone.
/// </summary>
internal sealed class EventCursor
{
    public static readonly EventCursor Plain = new(null, []);

    private const char SealedMark = 'c';

    private readonly byte[]? key;

    /// <summary>The second half of every sealed block: a cursor that opens to anything else was not made for this tenant.</summary>
    private readonly byte[] tag;

    private EventCursor(byte[]? key, byte[] tag)
    {
        this.key = key;
        this.tag = tag;
    }

    public static EventCursor Sealed(byte[] key, string tenantId) =>
        new(key, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ipam-evt:" + tenantId))[..8]);

    public string Of(long sequence)
    {
        if (key is null || sequence == 0)
        {
            return sequence.ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> block = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(block, sequence);
        tag.CopyTo(block[8..]);
        using var aes = Aes.Create();
        aes.Key = key;
        return SealedMark + Base64Url.EncodeToString(aes.EncryptEcb(block, PaddingMode.None));
    }

    /// <summary>The position <paramref name="text"/> names; anything else is an invalid request naming <paramref name="field"/>.</summary>
    public long Parse(string field, string text) =>
        TryParse(text, out var sequence)
            ? sequence
            : throw ValidationException.InvalidRequest(field, $"'{text}' is not an events cursor of this caller; pass the id of an event or the next of a page.");

    /// <summary>The position <paramref name="text"/> names: "0", or a position as <see cref="Of"/> writes it for this caller.</summary>
    public bool TryParse(string text, out long sequence)
    {
        sequence = 0;
        if (text == "0")
        {
            return true;
        }

        if (key is null)
        {
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
        }

        Span<byte> block = stackalloc byte[16];
        if (text.Length != 23 || text[0] != SealedMark || !TryDecode(text.AsSpan(1), block))
        {
            return false;
        }

        using var aes = Aes.Create();
        aes.Key = key;
        var opened = aes.DecryptEcb(block, PaddingMode.None);
        var position = BinaryPrimitives.ReadInt64BigEndian(opened);
        if (!opened.AsSpan(8).SequenceEqual(tag) || position <= 0)
        {
            return false;
        }

        sequence = position;
        return true;
    }

    /// <summary>False for anything but 16 bytes of base64url, where the decoder throws for some inputs (unused bits set).</summary>
    private static bool TryDecode(ReadOnlySpan<char> text, Span<byte> block)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(text, block, out var written) && written == 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
