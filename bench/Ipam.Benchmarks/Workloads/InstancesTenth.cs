namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// One tenth of the fill: allocations per second on one instance, round-robin over instances on one database, and
/// round-robin over instances on a database each (<see cref="Apart"/>); Npgsql commands (round trips) per
/// timed request of each and the seconds those commands took in all, and beside them the raw commit rate of one
/// client on one connection and on as many connections as instances, in turn. <see cref="MultiSliceCosts"/> and
/// <see cref="ApartSliceCosts"/>: per slice, the seconds of that setup's requests over those of the same number on one
/// instance timed right beside them.
/// </summary>
internal sealed record InstancesTenth(
    string Label, double Single, double Multi, double Apart, double Raw, double RawInTurn, double SingleCommands, double MultiCommands,
    double SingleCommandSeconds, double MultiCommandSeconds, IReadOnlyList<double> MultiSliceCosts, IReadOnlyList<double> ApartSliceCosts);
