namespace Ipam;

/// <summary>
/// The rule of a tenant id, wherever one is given (a token, a body, a query filter, an imported plan): free text
/// (<see cref="FreeText"/>) that neither begins nor ends with white space, so that "A " or " A" is never a tenant
/// that prints like "A".
/// </summary>
public static class TenantIds
{
    /// <summary><paramref name="tenantId"/> if it follows the rule; otherwise an <c>invalid-request</c> naming <paramref name="field"/>. Null stays null.</summary>
    public static string? Check(string field, string? tenantId)
    {
        var text = FreeText.Check(field, tenantId);
        return text is { Length: > 0 } && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            ? throw ValidationException.InvalidRequest(field, $"{field} must not begin or end with white space.")
            : text;
    }
}
