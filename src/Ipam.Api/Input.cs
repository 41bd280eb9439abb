using System.Text;

namespace Ipam.Api;

/// <summary>Parsing of wire values; every failure is an <c>invalid-request</c> naming the field.</summary>
internal static class Input
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static Cidr Cidr(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ValidationException.InvalidRequest(field, $"{field} is required.");
        }

        return Addressing.Cidr.TryParse(text, out var cidr, out var error)
            ? cidr
            : throw ValidationException.InvalidRequest(field, error);
    }

    public static IpAddress Address(string field, string? text) =>
        text is null ? throw ValidationException.InvalidRequest(field, $"{field} is required.")
        : IpAddress.TryParse(text, out var address) ? address
        : throw ValidationException.InvalidRequest(field, $"'{text}' is not a valid IP address.");

    public static MacAddress Mac(string field, string? text) =>
        !MacAddress.TryParse(text, out var mac)
            ? throw ValidationException.InvalidRequest(field, $"'{text}' is not a MAC address (expected e.g. fa:16:3e:00:11:22).")
        : mac.IsNeverAnInterface
            ? throw ValidationException.InvalidRequest(
                field, $"'{text}' is the {(mac.Value == 0 ? "all-zero" : "broadcast")} MAC address, which no interface has.")
        : mac;

    public static Guid Id(string field, string text) =>
        Guid.TryParseExact(text, "D", out var id)
            ? id
            : throw ValidationException.InvalidRequest(field, $"'{text}' is not a UUID.");

    /// <summary>An IP version given as 4 or 6; null stays null.</summary>
    public static IpVersion? Version(string field, int? version) => version switch
    {
        null => null,
        4 => IpVersion.V4,
        6 => IpVersion.V6,
        _ => throw ValidationException.InvalidRequest(field, $"{field} must be 4 or 6."),
    };

    /// <summary>A list of CIDRs, each required and valid; null stays null.</summary>
    public static List<Addressing.Cidr>? Cidrs(string field, List<string?>? texts) =>
        texts?.Select((text, i) => Cidr($"{field}[{i}]", text)).ToList();

    /// <summary>A free-text value from a body or the query, as <see cref="FreeText"/> allows it; null stays null.</summary>
    public static string? Text(string field, string? text) => FreeText.Check(field, text);

    /// <summary>
    /// A text member of a body where <c>null</c> clears the field and absence leaves it: absent, null, or the string
    /// checked as <see cref="Text"/> checks it; any other JSON value is an invalid request naming <paramref name="field"/>.
    /// </summary>
    public static Optional<string?> ClearableText(string field, System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Undefined => default,
        System.Text.Json.JsonValueKind.Null => new Optional<string?>(null),
        System.Text.Json.JsonValueKind.String => new Optional<string?>(Text(field, JsonString(field, element))),
        _ => throw ValidationException.InvalidRequest(field, $"{field} must be a string or null."),
    };

    /// <summary>A tenant id from a body or the query, as <see cref="TenantIds"/> allows it; null stays null.</summary>
    public static string? TenantId(string field, string? text) => TenantIds.Check(field, text);

    /// <summary>
    /// The string of a JSON string value kept as a <see cref="System.Text.Json.JsonElement"/> (a field where null
    /// and absent differ): one holding a lone surrogate escape, which no string can carry, or bytes that are not UTF-8,
    /// is refused here, as the serializer refuses it in other fields.
    /// </summary>
    public static string JsonString(string field, System.Text.Json.JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException)
        {
            throw ValidationException.InvalidRequest(field, NotUtf8(field));
        }
        catch (InvalidOperationException)
        {
            throw ValidationException.InvalidRequest(field, $"{field} is not valid Unicode text (a lone surrogate).");
        }
    }

    /// <summary>The message for a JSON string whose bytes are not UTF-8, which the reader finds only when it reads the string.</summary>
    public static string NotUtf8(string field) => field == "body" ? "The body is not valid UTF-8." : $"The body is not valid UTF-8 (in {field}).";

    /// <summary>The message for a valid date and time that its offset takes out of the range a time can hold.</summary>
    public static string TimeOutOfRange(string field) =>
        $"{field} is out of range: times {TimeText.Range}, once converted to UTC, are accepted.";

    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw ValidationException.InvalidRequest("limit", $"limit must be from 1 to {MaxLimit}."),
    };
}
