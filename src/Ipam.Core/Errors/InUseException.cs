namespace Ipam.Errors;

/// <summary>
/// Something cannot be removed while others refer to it: <c>references</c> counts them by kind (<c>{"subnets": 3}</c>),
/// the same shape wherever the error comes from; <paramref name="details"/> adds what else the caller should know.
/// </summary>
public sealed class InUseException(string detail, IReadOnlyDictionary<string, object?> references, IReadOnlyDictionary<string, object?>? details = null)
    : IpamException(ErrorCodes.InUse, "Still in use.", detail, WithReferences(references, details))
{
    private static Dictionary<string, object?> WithReferences(IReadOnlyDictionary<string, object?> references, IReadOnlyDictionary<string, object?>? details) =>
        new(details ?? new Dictionary<string, object?>()) { ["references"] = references };
}
