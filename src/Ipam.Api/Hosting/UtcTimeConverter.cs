using System.Globalization;
using System.Text.Json.Serialization;

namespace Ipam.Api.Hosting;

/// <summary>
/// Writes times as RFC 3339 UTC (<c>2026-01-02T03:04:05.678Z</c>); reads any ISO 8601 time with an offset, and one
/// without as UTC (as a time in the query is read), never as the server's local time.
/// </summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var time = reader.GetDateTimeOffset();
        return reader.TryGetDateTime(out var plain) && plain.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(plain, TimeSpan.Zero) : time;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
