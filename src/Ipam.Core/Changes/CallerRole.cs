namespace Ipam.Changes;

/// <summary>What a caller may do; each role can do everything the roles below it can.</summary>
public enum CallerRole
{
    /// <summary>Reads its tenant's resources.</summary>
    Reader = 0,

    /// <summary>Reads and changes its tenant's subnets, subnet pools and allocations; reads shared pools and scopes.</summary>
    Member = 1,

    /// <summary>Sees and changes everything, in every tenant.</summary>
    Admin = 2,
}
