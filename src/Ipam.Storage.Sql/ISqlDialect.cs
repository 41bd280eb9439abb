namespace Ipam.Storage.Sql;

/// <summary>
/// What one SQL store supplies to the shared session: its statements, how it stores ids and times, how its
/// hot statements take their parameters, and how its driver reports a foreign-key violation.
/// </summary>
internal interface ISqlDialect
{
    SqlText Sql { get; }

    /// <summary>The column type of ids (uuid, or canonical text where the database has no uuid type).</summary>
    DbType IdType { get; }

    object IdValue(Guid id);

    Guid ReadId(object value);

    /// <summary>The column type of times (timestamptz, or fixed-width UTC text whose order is time order).</summary>
    DbType TimeType { get; }

    object TimeValue(DateTimeOffset time);

    DateTimeOffset ReadTime(object value);

    /// <summary>
    /// Whether the hot statements (<see cref="SqlText.InsertAllocation"/> and the others run on prepared
    /// commands) bind parameters by name; otherwise by position, in the order the session adds them.
    /// </summary>
    bool NamesParameters { get; }

    /// <summary>
    /// Whether a statement can take a column of many rows as one array parameter (<see cref="ArrayOf"/>): then
    /// <see cref="SqlText.AppendChanges"/> appends all of a transaction's changes at once, else it runs once per change.
    /// </summary>
    bool BindsArrays { get; }

    /// <summary>
    /// Values of one column type (<see cref="DbType.String"/>, <see cref="IdType"/> or <see cref="TimeType"/>), each null
    /// or in this dialect's form, as the typed array its driver binds; only where <see cref="BindsArrays"/>.
    /// </summary>
    Array ArrayOf(DbType type, IReadOnlyList<object?> values);

    bool IsForeignKeyViolation(DbException exception);

    /// <summary>Whether a statement failed because a primary key or unique index already holds the value.</summary>
    bool IsUniqueViolation(DbException exception);
}
