using System.Globalization;

namespace Ipam.Storage.Sqlite;

/// <summary>How SQLite stores what it has no type for: ids as canonical text, times as fixed-width UTC text.</summary>
internal static class SqliteValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Id(Guid id) => id.ToString("D");

    public static Guid Id(string text) => Guid.ParseExact(text, "D");

    /// <summary>Fixed-width UTC text, so that text order is time order.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) =>
        new(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);
}
