namespace Ipam;

/// <summary>
/// The rule of a tenant id, wherever one is given (a token, a body, a query filter, an imported plan): free text
/// (<see cref="FreeText"/>) that is not empty and neither begins nor ends with white space, so that "A " or " A" is
/// never a tenant that prints like "A", and "" never a tenant beside having none, which no token could act in.
/// </summary>
public static class TenantIds
{
    /// <summary><paramref name="tenantId"/> if it follows the rule; otherwise an <c>invalid-request</c> naming <paramref name="field"/>. Null stays null.</summary>
    public static string? Check(string field, string? tenantId)
    {
        var text = FreeText.Check(field, tenantId);
        if (text is { Length: 0 })
        {
            throw ValidationException.InvalidRequest(field, $"{field} must not be empty: name a tenant, or leave {field} out.");
        }

        return text is { Length: > 0 } && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            ? throw ValidationException.InvalidRequest(field, $"{field} must not begin or end with white space.")
            : text;
    }
}
