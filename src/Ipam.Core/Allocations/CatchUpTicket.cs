namespace Ipam.Allocations;

/// <summary>
/// Taken when a request arrives (<see cref="FreeSpaceCache.Ticket"/>): how many reads of the change log this
/// instance had started by then. A read started later saw every change committed before the request arrived, so
/// once one has been applied, the request needs no read of its own.
/// </summary>
internal readonly record struct CatchUpTicket(long ReadsStarted);
