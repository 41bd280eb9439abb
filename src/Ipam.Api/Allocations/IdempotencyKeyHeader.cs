namespace Ipam.Api.Allocations;

/// <summary>The <c>Idempotency-Key</c> header, with the same rules on every request that takes one.</summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>The key as bound, after checking that it was sent at most once and is 1 to 255 characters.</summary>
    public static string? Checked(HttpContext context, string? key)
    {
        if (context.Request.Headers[Name].Count > 1)
        {
            // Bound as one value, the keys would be joined with commas into a key that neither request sent.
            throw ValidationException.InvalidRequest(Name, $"The {Name} header was sent more than once; send one key.");
        }

        if (key is { Length: 0 or > MaxLength })
        {
            throw ValidationException.InvalidRequest(Name, $"The {Name} header must be 1 to {MaxLength} characters.");
        }

        return key;
    }
}
