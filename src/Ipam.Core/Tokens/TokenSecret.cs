using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Ipam.Tokens;

/// <summary>
/// The text a caller presents, <c>ipam_&lt;token id, 32 hex digits&gt;_&lt;secret, base64url&gt;</c>: the id finds
/// the token with one read by primary key, the secret proves the caller holds it.
/// </summary>
/// <remarks>
/// The secret is 32 random bytes, so the store keeps only its SHA-256: a slow password hash (PBKDF2, Argon2)
/// protects guessable passwords against brute force, which a 256-bit random secret does not need, and it
/// would cost every request milliseconds of CPU.
/// </remarks>
public static class TokenSecret
{
    public const string Prefix = "ipam_";

    private const int SecretBytes = 32;

    /// <summary>A new random secret and the text to present for token <paramref name="id"/>.</summary>
    public static (string Text, byte[] Hash) Create(Guid id)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var text = $"{Prefix}{id:N}_{Base64Url(secret)}";
        var hash = SHA256.HashData(secret);
        CryptographicOperations.ZeroMemory(secret);
        return (text, hash);
    }

    /// <summary>Splits presented text into the token id and the hash of its secret; false for anything not of the form.</summary>
    public static bool TryParse(string? text, out Guid id, [NotNullWhen(true)] out byte[]? hash)
    {
        id = default;
        hash = null;
        // ipam_ + 32 hex + _ + 43 base64url characters (32 bytes without padding).
        const int idLength = 32;
        const int secretLength = 43;
        if (text is null || text.Length != Prefix.Length + idLength + 1 + secretLength ||
            !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length + idLength] != '_' ||
            !Guid.TryParseExact(text.AsSpan(Prefix.Length, idLength), "N", out id))
        {
            return false;
        }

        var encoded = text[(Prefix.Length + idLength + 1)..].Replace('-', '+').Replace('_', '/') + "=";
        Span<byte> secret = stackalloc byte[SecretBytes + 1];
        if (!Convert.TryFromBase64String(encoded, secret, out var written) || written != SecretBytes)
        {
            return false;
        }

        hash = SHA256.HashData(secret[..SecretBytes]);
        CryptographicOperations.ZeroMemory(secret);
        return true;
    }

    /// <summary>Whether <paramref name="presented"/> is <paramref name="stored"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> stored) =>
        CryptographicOperations.FixedTimeEquals(presented, stored);

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
