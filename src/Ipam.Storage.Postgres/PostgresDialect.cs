using System.Data;
using System.Data.Common;
using Ipam.Storage.Sql;
using Npgsql;

namespace Ipam.Storage.Postgres;

/// <summary>PostgreSQL's statements and column forms: uuid ids, timestamptz times (bound in UTC), positional hot statements.</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public SqlText Sql => PostgresSql.Text;

    public DbType IdType => DbType.Guid;

    public DbType TimeType => DbType.DateTimeOffset;

    public bool NamesParameters => false;

    public object IdValue(Guid id) => id;

    public Guid ReadId(object value) => (Guid)value;

    /// <remarks>
    /// Cut to whole microseconds, as Npgsql cuts a bound timestamptz: PostgreSQL would round the same time
    /// given as text (the change log's JSON batch), and an allocation's created change would then be a
    /// microsecond off the allocation's stored created_at.
    /// </remarks>
    public object TimeValue(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    public DateTimeOffset ReadTime(object value) => value switch
    {
        DateTimeOffset time => time,
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        _ => throw new InvalidDataException($"A timestamptz column was read as {value.GetType()}."),
    };

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
