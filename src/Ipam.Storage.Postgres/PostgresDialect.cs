using System.Data;
using System.Data.Common;

namespace Ipam.Storage.Postgres;

/// <summary>PostgreSQL's statements and column forms: uuid ids, timestamptz times (bound in UTC), positional hot statements.</summary>
internal sealed class PostgresDialect() : SqlDialect(PostgresSql.Text, DbType.Guid, DbType.DateTimeOffset, namesParameters: false, bindsArrays: true)
{
    public static PostgresDialect Instance { get; } = new();

    public override Array ArrayOf(DbType type, IReadOnlyList<object?> values) => type switch
    {
        DbType.String => values.Select(v => (string?)v).ToArray(),
        DbType.Guid => values.Select(v => (Guid?)v).ToArray(),
        DbType.DateTimeOffset => values.Select(v => (DateTimeOffset?)v).ToArray(),
        DbType.Binary => values.Select(v => (byte[]?)v).ToArray(),
        DbType.Int32 => values.Select(v => (int?)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No array form for this column type."),
    };

    public override object IdValue(Guid id) => id;

    public override Guid ReadId(object value) => (Guid)value;

    /// <remarks>
    /// Cut to whole microseconds, as Npgsql cuts a bound timestamptz, so that a time bound in any form (alone, or
    /// in an array of the change log's append) is stored as the same microsecond: an allocation's created change
    /// is never a microsecond off the allocation's stored created_at.
    /// </remarks>
    public override object TimeValue(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    public override DateTimeOffset ReadTime(object value) => value switch
    {
        DateTimeOffset time => time,
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        _ => throw new InvalidDataException($"A timestamptz column was read as {value.GetType()}."),
    };

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTakenKeyRecord(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "idempotency_keys" };

    /// <summary>The SQLSTATEs of the checks of migrations 0013 to 0015: IP001 (the subnet moved on), IP002 (the log freed an address).</summary>
    public override bool IsRefutedCheck(DbException exception) => exception is PostgresException { SqlState: "IP001" or "IP002" };
}
