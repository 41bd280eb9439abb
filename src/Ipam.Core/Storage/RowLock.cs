namespace Ipam.Storage;

/// <summary>Whether a read holds the row it read until the unit of work ends.</summary>
/// <remarks>
/// SQLite's single writer already runs one unit of work at a time, so there reading the row is all the
/// locking needed; a store with concurrent transactions locks the row (SELECT ... FOR UPDATE).
/// </remarks>
public enum RowLock
{
    None,

    /// <summary>Held until the unit of work ends: concurrent units that lock or change the row wait.</summary>
    ForUpdate,
}
