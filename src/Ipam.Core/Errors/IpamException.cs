namespace Ipam.Errors;

/// <summary>
/// A domain failure with a stable machine-readable <see cref="Code"/> (see <see cref="ErrorCodes"/>) and
/// the context a caller needs to act on it. The HTTP layer maps codes to status codes; nothing else does.
/// </summary>
public abstract class IpamException : Exception
{
    protected IpamException(string code, string title, string detail, IReadOnlyDictionary<string, object?>? context = null)
        : base(detail)
    {
        Code = code;
        Title = title;
        Context = context ?? new Dictionary<string, object?>();
    }

    public string Code { get; }

    public string Title { get; }

    /// <summary>Extra fields for the problem details body, keyed by their snake_case wire names.</summary>
    public IReadOnlyDictionary<string, object?> Context { get; }
}
