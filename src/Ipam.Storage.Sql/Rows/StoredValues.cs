using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ipam.Storage.Sql.Rows;

/// <summary>
/// Reads the values of stored rows that the service converts (address keys, times, ids) and tells a value that no write
/// of the service leaves (an edit by hand, a partial restore) from a bug: such a value is a <see cref="StoredValueException"/>,
/// which the row's reader names the row in (<see cref="StoredValueException.Of"/>). Each check costs a type test and a
/// comparison on the way of every row.
/// </summary>
internal static class StoredValues
{
    /// <summary>The most characters of a text value a problem quotes.</summary>
    private const int QuotedLength = 64;

    /// <summary>The address a 16-byte big-endian key of <paramref name="version"/> holds (see <see cref="IpAddress.ToKey"/>).</summary>
    public static IpAddress Address(object? stored, IpVersion version, string column)
    {
        if (stored is not byte[] { Length: 16 } key)
        {
            throw new StoredValueException(column, stored is byte[] bytes
                ? $"holds {bytes.Length} bytes, not a 16-byte address key"
                : $"holds {Describe(stored)}, not a 16-byte address key");
        }

        if (version is not (IpVersion.V4 or IpVersion.V6))
        {
            throw new StoredValueException("ip_version", $"is {(int)version}, neither 4 nor 6");
        }

        return BinaryPrimitives.ReadUInt128BigEndian(key) <= IpFamily.Of(version).MaxValue
            ? IpAddress.FromKey(version, key)
            : throw new StoredValueException(column, $"holds {Describe(stored)}, which is no IPv{(int)version} address");
    }

    /// <summary>The network of <paramref name="version"/> a key and a prefix length hold, without host bits.</summary>
    public static Cidr Cidr(object? network, int prefixLength, IpVersion version)
    {
        var address = Address(network, version, "network");
        try
        {
            return new Cidr(address, prefixLength);
        }
        catch (ArgumentException e)
        {
            throw new StoredValueException("prefix_length", $"{prefixLength} does not make a network with {address}: {e.Message}");
        }
    }

    public static DateTimeOffset Time(SqlDialect dialect, object? stored, string column) =>
        NotNull(stored, column, "a time", dialect.ReadTime);

    public static Guid Id(SqlDialect dialect, object? stored, string column) =>
        NotNull(stored, column, "an id", dialect.ReadId);

    /// <summary>Reads a column that is never NULL through <paramref name="read"/>; what it cannot read names the column.</summary>
    private static T NotNull<T>(object? stored, string column, string what, Func<object, T> read)
    {
        if (stored is null or DBNull)
        {
            throw new StoredValueException(column, "is NULL");
        }

        try
        {
            return read(stored);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or InvalidDataException)
        {
            throw new StoredValueException(column, $"holds {Describe(stored)}, not {what}");
        }
    }

    /// <summary>
    /// A stored value as a problem shows it: bytes in hex (<c>0x…</c>), text quoted (cut at 64 characters, with the characters
    /// free text may not hold as <c>\uXXXX</c>), NULL.
    /// </summary>
    public static string Describe(object? stored) => stored switch
    {
        null or DBNull => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        string text => Quote(text),
        Guid id => id.ToString(),
        IFormattable value => $"{value.ToString(null, CultureInfo.InvariantCulture)} ({stored.GetType().Name})",
        _ => stored.GetType().Name,
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("'");
        foreach (var c in text.Length > QuotedLength ? text.AsSpan(0, QuotedLength) : text)
        {
            if (UnsafeText.IsUnsafe(c))
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append(text.Length > QuotedLength ? "…'" : "'").ToString();
    }
}
