namespace Ipam.Storage;

/// <summary>What an allocation insert that names the subnet revision it was chosen for did.</summary>
public enum AllocationInsert
{
    Inserted,

    /// <summary>The address is already allocated in the subnet; nothing was inserted.</summary>
    AddressTaken,

    /// <summary>The subnet has another revision now, or no longer exists; nothing was inserted.</summary>
    SubnetChanged,
}
