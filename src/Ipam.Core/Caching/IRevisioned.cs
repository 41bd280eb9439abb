namespace Ipam.Caching;

/// <summary>A stored row known by its id, whose <see cref="Revision"/> every change bumps.</summary>
internal interface IRevisioned
{
    Guid Id { get; }

    long Revision { get; }
}
