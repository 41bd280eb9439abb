namespace Ipam.Addressing;

/// <summary>Where an item of a sorted sequence starts, for <see cref="SortedRanges"/>.</summary>
/// <remarks>A static member on a type argument, so each search is compiled for its item type with no delegate call.</remarks>
internal interface IStartOf<T>
{
    static abstract UInt128 StartOf(in T item);
}
