using System.Globalization;
using Ipam.Addressing;

namespace Ipam.Storage.Sqlite;

/// <summary>Conversions between domain values and their SQLite column forms.</summary>
internal static class SqliteValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Id(Guid id) => id.ToString("D");

    public static Guid Id(string text) => Guid.ParseExact(text, "D");

    public static byte[] Key(IpAddress address) => address.ToKey();

    public static IpAddress Address(IpVersion version, byte[] key) => IpAddress.FromKey(version, key);

    /// <summary>Fixed-width UTC text, so that text order is time order.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string text) =>
        new(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static object OrNull(object? value) => value ?? DBNull.Value;
}
