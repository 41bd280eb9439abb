namespace Ipam.SubnetPools;

/// <summary>The cached prefix index of one subnet pool revision, with the lock that guards it.</summary>
internal sealed class PrefixSpace(SubnetPool pool, PrefixIndex index)
{
    /// <summary>The pool as it was when the index was built.</summary>
    public SubnetPool Pool { get; } = pool;

    public long Revision => Pool.Revision;

    public PrefixIndex Index { get; } = index;

    public Lock Gate { get; } = new();
}
