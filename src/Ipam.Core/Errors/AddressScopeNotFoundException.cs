namespace Ipam.Errors;

public sealed class AddressScopeNotFoundException(Guid addressScopeId)
    : IpamException(ErrorCodes.AddressScopeNotFound, "Address scope not found.", $"Address scope {addressScopeId} does not exist.",
        new Dictionary<string, object?> { ["address_scope_id"] = addressScopeId })
{
    public Guid AddressScopeId { get; } = addressScopeId;
}
