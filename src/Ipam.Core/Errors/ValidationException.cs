namespace Ipam.Errors;

/// <summary>Input that is malformed or breaks a rule; carries every problem found, per field.</summary>
public sealed class ValidationException(string code, string title, IReadOnlyDictionary<string, string[]> errors)
    : IpamException(code, title, Summarize(errors), new Dictionary<string, object?> { ["errors"] = errors })
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationException InvalidRequest(string field, string message) =>
        new(ErrorCodes.InvalidRequest, "The request is invalid.", new Dictionary<string, string[]> { [field] = [message] });

    private static string Summarize(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value));
}
