namespace Ipam.Storage.Sql;

/// <summary>
/// Where the change log ends, as the only writer of a database knows it without reading: when every change is
/// appended by one writer, one transaction at a time, the log ends after each of that writer's commits where
/// its append ended. Null while unknown: before the writer has looked, and after a transaction that failed
/// between its append and the end of its commit (it may or may not have committed).
/// </summary>
/// <remarks>Used by the writer's transactions only, one at a time.</remarks>
internal sealed class LogTail
{
    public long? End { get; set; }
}
