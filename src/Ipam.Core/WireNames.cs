using System.Diagnostics.CodeAnalysis;

namespace Ipam;

/// <summary>The names an enum's values have on the wire (in JSON, the database and on the command line), both ways.</summary>
internal sealed class WireNames<TEnum>(params (TEnum Value, string Name)[] names)
    where TEnum : struct, Enum
{
    public string Of(TEnum value)
    {
        foreach (var (known, name) in names)
        {
            if (EqualityComparer<TEnum>.Default.Equals(known, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"No wire name for this {typeof(TEnum).Name}.");
    }

    public bool TryParse([NotNullWhen(true)] string? text, out TEnum value)
    {
        foreach (var (known, name) in names)
        {
            if (name == text)
            {
                value = known;
                return true;
            }
        }

        value = default;
        return false;
    }
}
