namespace Ipam.Storage;

public partial interface IIpamSession
{
    /// <summary>
    /// A revision above every one the database handed out to a unit that committed. Subnets and subnet pools take
    /// one whenever they are created or changed, so a subnet deleted and created again under the same id never
    /// matches a revision that an instance cached of the one before it.
    /// </summary>
    ValueTask<long> NextRevisionAsync(CancellationToken cancellationToken);
}
