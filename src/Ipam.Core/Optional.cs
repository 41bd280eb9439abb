namespace Ipam;

/// <summary>A value that may be absent, distinct from a present null (JSON "omitted" versus "null").</summary>
public readonly record struct Optional<T>
{
    public Optional(T value)
    {
        HasValue = true;
        Value = value;
    }

    public bool HasValue { get; }

    public T Value { get; }

    public T GetValueOrDefault(T fallback) => HasValue ? Value : fallback;

    public static implicit operator Optional<T>(T value) => new(value);
}
