using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Ipam.Addressing;

/// <summary>An IPv4 or IPv6 address held as an unsigned 128-bit integer plus its family.</summary>
/// <remarks>
/// Parsing is strict: IPv4 needs four dotted decimal parts (no "10.1" shorthand, no leading zeros),
/// IPv6 may not carry a zone index. An IPv4-mapped IPv6 address (<c>::ffff:10.0.0.1</c>) stays an IPv6
/// address: it never matches an IPv4 subnet.
/// </remarks>
public readonly record struct IpAddress : IComparable<IpAddress>, ISpanParsable<IpAddress>, ISpanFormattable
{
    public IpAddress(IpVersion version, UInt128 value)
    {
        if (value > IpFamily.Of(version).MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit the address family.");
        }

        Version = version;
        Value = value;
    }

    public IpVersion Version { get; }

    public UInt128 Value { get; }

    public IpFamily Family => IpFamily.Of(Version);

    public static IpAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? new IpAddress(IpVersion.V4, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : new IpAddress(IpVersion.V6, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (Version == IpVersion.V4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Value);
            return new IPAddress(bytes[..4]);
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return new IPAddress(bytes);
    }

    /// <summary>A 16-byte big-endian key that sorts like the address within one family.</summary>
    public byte[] ToKey()
    {
        var key = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(key, Value);
        return key;
    }

    public static IpAddress FromKey(IpVersion version, ReadOnlySpan<byte> key) =>
        new(version, BinaryPrimitives.ReadUInt128BigEndian(key));

    public IpAddress Add(UInt128 offset) => new(Version, Value + offset);

    public static bool TryParse([NotNullWhen(true)] string? s, out IpAddress result) =>
        TryParse(s.AsSpan(), out result) && s is not null;

    public static bool TryParse(ReadOnlySpan<char> s, out IpAddress result)
    {
        result = default;
        // '[' and ']': IPAddress.TryParse accepts "[::1]" and even "[::1]:80", which are not addresses.
        if (s.IsEmpty || s.ContainsAny("% []") || s.Contains('/'))
        {
            return false;
        }

        if (!s.Contains(':') && !IsStrictDottedQuad(s))
        {
            return false;
        }

        if (!IPAddress.TryParse(s, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && parsed.ScopeId != 0)
        {
            return false;
        }

        result = FromIPAddress(parsed);
        return true;
    }

    public static IpAddress Parse(string s) => Parse(s.AsSpan(), null);

    public static IpAddress Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static IpAddress Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, out var result) ? result : ThrowFormat(s);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IpAddress result) =>
        TryParse(s, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out IpAddress result) =>
        TryParse(s, out result);

    public int CompareTo(IpAddress other) =>
        Version != other.Version ? Version.CompareTo(other.Version) : Value.CompareTo(other.Value);

    public static bool operator <(IpAddress left, IpAddress right) => left.CompareTo(right) < 0;

    public static bool operator >(IpAddress left, IpAddress right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpAddress left, IpAddress right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpAddress left, IpAddress right) => left.CompareTo(right) >= 0;

    /// <summary>Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6.</summary>
    public override string ToString() => ToIPAddress().ToString();

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ToIPAddress().TryFormat(destination, out charsWritten);

    private static bool IsStrictDottedQuad(ReadOnlySpan<char> s)
    {
        var parts = 0;
        foreach (var range in s.Split('.'))
        {
            var part = s[range];
            if (part.IsEmpty || part.Length > 3 || (part.Length > 1 && part[0] == '0') || !int.TryParse(part, out var octet) || octet > 255)
            {
                return false;
            }

            foreach (var c in part)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }

            parts++;
        }

        return parts == 4;
    }

    [DoesNotReturn]
    private static IpAddress ThrowFormat(ReadOnlySpan<char> s) =>
        throw new FormatException($"'{s}' is not a valid IP address.");
}
