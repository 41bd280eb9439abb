namespace Ipam.Cli.Commands;

/// <summary>
/// Says what an id is when the server found no resource of the kind a command wanted under it: a subnet pool's id given to
/// <c>ipam usage</c>, a subnet's to <c>ipam subnet create --pool</c>. Ids are UUIDs of one form for every kind, so only the
/// server can tell them apart, and only on this failure path is it asked.
/// </summary>
internal static class OtherKindHint
{
    private static readonly (string Code, string IdField, ResourceKind Kind, string ShowCommand)[] Kinds =
    [
        ("subnet-not-found", "subnet_id", ResourceKind.Subnet, "ipam subnet show"),
        ("subnet-pool-not-found", "subnet_pool_id", ResourceKind.SubnetPool, "ipam pool show"),
        ("address-scope-not-found", "address_scope_id", ResourceKind.AddressScope, "ipam scope show"),
    ];

    /// <summary>The failure with the kind its id has appended, or <paramref name="failure"/> itself when it names no other kind.</summary>
    public static async Task<ApiException> AddAsync(ApiClient api, ApiException failure, CancellationToken cancellationToken)
    {
        var wanted = Kinds.FirstOrDefault(k => k.Code == failure.Code);
        if (wanted.Code is null
            || failure.Problem is not { } problem
            || !problem.TryGetProperty(wanted.IdField, out var field)
            || !Guid.TryParse(field.GetString(), out var id))
        {
            return failure;
        }

        foreach (var other in Kinds.Where(k => k.Code != wanted.Code))
        {
            try
            {
                await api.GetAsync(other.Kind.Path(id), cancellationToken);
                var article = other.Kind.Name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
                return new ApiException(
                    $"{failure.Message}; {id} is {article} {other.Kind.Name} ('{other.ShowCommand} {id}')", failure.Status, failure.Code, failure.Problem);
            }
            catch (CliException)
            {
                // Not of this kind either (or not readable): the next, and in the end the failure as the server gave it.
            }
        }

        return failure;
    }
}
