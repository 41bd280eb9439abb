using System.Globalization;
using System.Text.Json.Serialization;

namespace Ipam.Api.Hosting;

/// <summary>
/// Writes times as RFC 3339 UTC (<c>2026-01-02T03:04:05.678Z</c>); reads them as a time in the query or on the command
/// line is read (<see cref="TimeText"/>): a date and time with any offset, or without one as UTC, never as the server's
/// local time; a date alone is refused.
/// </summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TimeText.TryParse(reader.GetString(), out var time) ? time : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
