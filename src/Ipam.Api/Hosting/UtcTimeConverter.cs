using System.Text.Json.Serialization;

namespace Ipam.Api.Hosting;

/// <summary>
/// Writes times as RFC 3339 UTC (<c>2026-01-02T03:04:05.678Z</c>); reads them as a time in the query or on the command
/// line is read (<see cref="TimeText"/>): a date and time with any offset, or without one as UTC, never as the server's
/// local time; a date alone is refused.
/// </summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The longest time read without a string made for it: a UTF-8 value of this many bytes has no more characters.</summary>
    private const int StackChars = 64;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        DateTimeOffset time;
        var fits = !reader.HasValueSequence && reader.ValueSpan.Length <= StackChars;
        if (fits)
        {
            Span<char> chars = stackalloc char[StackChars];
            var length = reader.CopyString(chars);
            return TimeText.TryParse(chars[..length], out time) ? time : throw Unreadable(chars[..length]);
        }

        var text = reader.GetString();
        return TimeText.TryParse(text, out time) ? time : throw Unreadable(text);
    }

    private static JsonException Unreadable(ReadOnlySpan<char> text) =>
        TimeText.IsOutOfRange(text) ? new TimeOutOfRangeException() : new JsonException();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TimeText.Format(value));
}
